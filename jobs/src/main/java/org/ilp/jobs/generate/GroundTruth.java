package org.ilp.jobs.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Records every planted fact of a run and writes it as {@code ground_truth.json} (machine-readable,
 * schema described in {@link DatasetGenerator}) and {@code GROUND_TRUTH.md} (the same, for people).
 * All row numbers are 1-based data-row numbers (CSV records after the header); all paths are
 * relative to the output root with forward slashes.
 */
final class GroundTruth {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final ObjectNode root = MAPPER.createObjectNode();
    final ArrayNode files;
    final ArrayNode hotspots;
    final ArrayNode trends;
    final ArrayNode chains;
    final ObjectNode duplicates;
    final ArrayNode malformedRows;
    final ObjectNode malformedByKind;
    final ArrayNode newlineRows;
    final ArrayNode badFiles;

    GroundTruth(GeneratorParams p) {
        root.put("schema_version", 1);
        root.put("generator", DatasetGenerator.class.getName());
        ObjectNode params = root.putObject("params");
        params.put("rows", p.rows());
        params.put("seed", p.seed());
        params.put("gzip", p.gzip());
        params.put("mix", p.mix().toString());
        root.put("months", "2023-01..2024-12");
        root.putNull("rows_written");
        root.putObject("rows_per_source");
        files = root.putArray("files");
        hotspots = root.putArray("hotspots");
        trends = root.putArray("trends");
        chains = root.putObject("near_repeat_chains").put("count", 0).putArray("chains");
        duplicates = root.putObject("duplicates");
        ObjectNode mal = root.putObject("malformed_rows");
        mal.put("count", 0);
        malformedByKind = mal.putObject("by_kind");
        malformedRows = mal.putArray("rows");
        ObjectNode quirks = root.putObject("valid_quirks");
        ObjectNode nl = quirks.putObject("embedded_newline_rows");
        nl.put("description", "VALID rows whose quoted Location contains an embedded newline; one CSV record spanning two physical lines");
        nl.put("count", 0);
        newlineRows = nl.putArray("rows");
        quirks.put("quoted_comma_locations", "VALID: some police.uk Location values contain a comma (e.g. \"On or near Tesco, High Street\") and are RFC-4180 quoted; these occur naturally and are not enumerated");
        badFiles = root.putArray("bad_files");
    }

    void file(String rel, String source, long rows) {
        files.addObject().put("path", rel).put("source", source).put("rows", rows);
    }

    /** Returns the (created on first use) duplicate section {@code name}, with a count and instances. */
    ObjectNode dupSection(String name, String description) {
        ObjectNode s = (ObjectNode) duplicates.get(name);
        if (s == null) {
            s = duplicates.putObject(name);
            s.put("description", description);
            s.put("count", 0);
            s.putArray("instances");
        }
        return s;
    }

    ObjectNode dupInstance(ObjectNode section) {
        section.put("count", section.get("count").asLong() + 1);
        return ((ArrayNode) section.get("instances")).addObject();
    }

    void malformed(String source, String file, long row, String kind, int expectedFields, int actualFields, String detail) {
        String key = source + "/" + kind;
        malformedByKind.put(key, malformedByKind.path(key).asLong(0) + 1);
        ObjectNode mal = (ObjectNode) root.get("malformed_rows");
        mal.put("count", mal.get("count").asLong() + 1);
        malformedRows.addObject().put("source", source).put("file", file).put("row", row).put("kind", kind)
                .put("expected_fields", expectedFields).put("actual_fields", actualFields).put("detail", detail);
    }

    void newlineRow(String source, String file, long row, String location) {
        ObjectNode nl = (ObjectNode) root.get("valid_quirks").get("embedded_newline_rows");
        nl.put("count", nl.get("count").asLong() + 1);
        newlineRows.addObject().put("source", source).put("file", file).put("row", row).put("location", location);
    }

    ObjectNode chain() {
        ObjectNode c = (ObjectNode) root.get("near_repeat_chains");
        c.put("count", c.get("count").asLong() + 1);
        return chains.addObject();
    }

    void finish(long rowsWritten, Map<String, Long> perSource) {
        root.put("rows_written", rowsWritten);
        ObjectNode rps = (ObjectNode) root.get("rows_per_source");
        perSource.forEach(rps::put);
    }

    void write(Path jsonFile, Path mdFile) throws IOException {
        Files.write(jsonFile, MAPPER.writeValueAsBytes(root));
        Files.writeString(mdFile, markdown(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- markdown

    private String markdown() {
        StringBuilder md = new StringBuilder(1 << 14);
        JsonNode p = root.get("params");
        md.append("# Ground truth of a generated dataset\n\n");
        md.append("Generated by `").append(root.get("generator").asText()).append("` with rows=")
                .append(p.get("rows").asLong()).append(", seed=").append(p.get("seed").asLong())
                .append(", gzip=").append(p.get("gzip").asBoolean()).append(", mix=").append(p.get("mix").asText())
                .append(" (street:stop-and-search:Chicago). Months ")
                .append(root.get("months").asText()).append(". The same facts, machine-readable, are in ")
                .append("`ground_truth.json`. Row numbers are 1-based data-row numbers (CSV records after the header; ")
                .append("a record with an embedded newline counts once). Paths are relative to this folder.\n\n");
        md.append("## Volumes\n\n| source | data rows |\n|---|---:|\n");
        root.get("rows_per_source").fields().forEachRemaining(e ->
                md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().asLong()).append(" |\n"));
        md.append("| **total (rows_written)** | ").append(root.get("rows_written").asLong()).append(" |\n\n");
        md.append(files.size()).append(" data files are listed with their row counts in `ground_truth.json` (`files`). ")
                .append("Files under `bad_files/` are NOT counted in rows_written.\n\n");

        md.append("## Spatial hotspots\n\nExtra rows concentrated uniformly in a disc (clipped to the area polygon).\n\n")
                .append("| id | source | area | centre lon | centre lat | radius m | category | rows |\n|---|---|---|---:|---:|---:|---|---:|\n");
        for (JsonNode h : hotspots) {
            md.append("| ").append(h.get("id").asText()).append(" | ").append(h.get("source").asText()).append(" | ")
                    .append(h.get("area_type").asText()).append(' ').append(h.get("area").asText()).append(" | ")
                    .append(h.get("center_lon").asDouble()).append(" | ").append(h.get("center_lat").asDouble()).append(" | ")
                    .append(h.get("radius_m").asDouble()).append(" | ")
                    .append(h.get("category").isNull() ? "(mixed)" : h.get("category").asText()).append(" | ")
                    .append(h.get("rows").asLong()).append(" |\n");
        }
        md.append("\n## Trend changes and controls\n\nExact monthly counts of the planted series (planted rows only; ")
                .append("the category is excluded from ordinary rows of these areas so the counts below are the whole series, ")
                .append("before duplicates/malformed rows, none of which are planted in these areas).\n\n");
        for (JsonNode t : trends) {
            md.append("- **").append(t.get("id").asText()).append("** (").append(t.get("role").asText()).append("): ")
                    .append(t.get("source").asText()).append(", ").append(t.get("area_type").asText()).append(' ')
                    .append(t.get("area").asText()).append(", category `").append(t.get("category").asText())
                    .append("`, change month ").append(t.get("change_month").asText()).append(", factor ")
                    .append(t.get("factor").asDouble()).append(". Monthly: ");
            StringBuilder m = new StringBuilder();
            t.get("monthly_counts").fields().forEachRemaining(e ->
                    m.append(m.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asLong()));
            md.append(m).append("\n");
        }
        JsonNode nr = root.get("near_repeat_chains");
        md.append("\n## Near-repeat burglary chains (Chicago)\n\n").append(nr.get("count").asLong())
                .append(" chains, each 3-6 BURGLARY rows in one beat, all within ")
                .append(nr.path("max_distance_m").asDouble()).append(" m and ").append(nr.path("max_days").asDouble())
                .append(" days of each other.\n\n| chain | beat | file | rows | ids |\n|---|---|---|---|---|\n");
        for (JsonNode c : chains) {
            md.append("| ").append(c.get("id").asText()).append(" | ").append(c.get("beat").asText()).append(" | ")
                    .append(c.get("file").asText()).append(" | ").append(joinField(c.get("events"), "row"))
                    .append(" | ").append(joinField(c.get("events"), "id")).append(" |\n");
        }
        md.append("\n## Duplicates\n\n");
        duplicates.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            md.append("### ").append(e.getKey()).append(" (count ").append(s.get("count").asLong()).append(")\n\n")
                    .append(s.get("description").asText()).append("\n\n");
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getKey().equals("description") && !f.getKey().equals("count") && !f.getKey().equals("instances")) {
                    md.append("- ").append(f.getKey()).append(": ").append(f.getValue().toString()).append('\n');
                }
            }
            for (JsonNode inst : s.get("instances")) {
                md.append("- ").append(inst.toString()).append('\n');
            }
            md.append('\n');
        });
        JsonNode mal = root.get("malformed_rows");
        md.append("## Malformed rows (").append(mal.get("count").asLong()).append(")\n\n| source/kind | count |\n|---|---:|\n");
        malformedByKind.fields().forEachRemaining(e ->
                md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().asLong()).append(" |\n"));
        md.append("\n| file | row | kind | fields | detail |\n|---|---:|---|---:|---|\n");
        for (JsonNode r : malformedRows) {
            md.append("| ").append(r.get("file").asText()).append(" | ").append(r.get("row").asLong()).append(" | ")
                    .append(r.get("kind").asText()).append(" | ").append(r.get("actual_fields").asInt()).append(" | ")
                    .append(r.get("detail").asText().replace("|", "\\|")).append(" |\n");
        }
        JsonNode ps = root.get("person_sources");
        if (ps != null) {
            md.append("\n## Person-level sources (not in the rows budget)\n\n").append(ps.get("persons").asLong())
                    .append(" fictitious persons, ").append(ps.get("incidents").asLong()).append(" incidents in 2024. ")
                    .append("Every record is a variant of its true person with planted errors (typos, swapped names, ")
                    .append("missing or day/month-swapped dates of birth, other postcodes, missing or mistyped national ")
                    .append("identifiers); the true person of every record is in person_truth.csv.\n\n")
                    .append("| source | rows |\n|---|---:|\n");
            ps.get("rows").fields().forEachRemaining(e ->
                    md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().asLong()).append(" |\n"));
            JsonNode g = ps.get("organised_group");
            md.append("\n- prolific offenders (suspect or arrestee in 12-20 incidents each), person ids: ")
                    .append(ps.get("prolific_offenders")).append("\n- organised group: clique A ").append(g.get("clique_a"))
                    .append(" and clique B ").append(g.get("clique_b")).append(" (every pair co-offends), joined only by ")
                    .append("broker ").append(g.get("broker").asInt()).append(" (highest betweenness in the component); ")
                    .append("named together in intelligence reports and crossing the border as co-travellers\n")
                    .append("- repeat victims (3-5 incidents each), person ids: ").append(ps.get("repeat_victims"))
                    .append("\n");
        }
        md.append("\n## Valid quirks (NOT malformed)\n\n");
        JsonNode nl = root.get("valid_quirks").get("embedded_newline_rows");
        md.append("- ").append(nl.get("description").asText()).append(": ").append(nl.get("count").asLong()).append('\n');
        for (JsonNode r : newlineRows) {
            md.append("  - ").append(r.get("file").asText()).append(" row ").append(r.get("row").asLong()).append('\n');
        }
        md.append("- ").append(root.get("valid_quirks").get("quoted_comma_locations").asText()).append("\n\n");
        md.append("## Bad files (under `bad_files/`, excluded from rows_written)\n\n| path | kind | note |\n|---|---|---|\n");
        for (JsonNode b : badFiles) {
            md.append("| ").append(b.get("path").asText()).append(" | ").append(b.get("kind").asText()).append(" | ")
                    .append(b.get("note").asText()).append(" |\n");
        }
        return md.toString();
    }

    private static String joinField(JsonNode arr, String field) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : arr) {
            sb.append(sb.length() == 0 ? "" : ", ").append(n.get(field).asText());
        }
        return sb.toString();
    }
}
