package org.ilp.jobs.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
import org.ilp.common.source.SourceSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's person-level sources (no Spark): each file in its spec's format and columns, every record's true
 * person known, and the planted structures — prolific offenders, the organised group and its broker, repeat victims —
 * present in the records as the ground truth says.
 */
class PersonSourcesTest {
  @TempDir
  static Path tmp;

  static Path out;
  static JsonNode truth;
  /** source → record id → true person id. */
  static final Map<String, Map<String, Integer>> persons = new TreeMap<>();
  /** police_persons records (header first). */
  static List<List<String>> police;

  @BeforeAll
  static void generate() throws IOException {
    out = tmp.resolve("landing");
    GeneratorResult r = DatasetGenerator.generate(new GeneratorParams(DatasetGenerator.FULL_PLANTS_MIN_ROWS, 11, out,
        false), DatasetGeneratorTest.CONF);
    truth = new ObjectMapper().readTree(r.groundTruthFile().toFile()).get("person_sources");
    List<List<String>> rows = DatasetGeneratorTest.readCsv(out.resolve(PersonSourcesWriter.TRUTH_CSV));
    for (List<String> row : rows.subList(1, rows.size())) {
      persons.computeIfAbsent(row.get(0), k -> new HashMap<>()).put(row.get(1), Integer.parseInt(row.get(2)));
    }
    police = DatasetGeneratorTest.readCsv(out.resolve("police_persons/2024-persons.csv"));
  }

  @Test
  void everyFileHasItsSpecsFormatAndColumnsAndEveryRecordItsTruePerson() throws IOException {
    for (String name : SourceSpec.PERSON_SOURCES) {
      SourceSpec spec = SourceSpec.load(name);
      assertThat(spec.target()).isEqualTo("persons");
      List<Path> files;
      try (Stream<Path> s = Files.list(out.resolve(spec.landingSubdir()))) {
        files = s.filter(f -> spec.accepts(f.getFileName().toString())).toList();
      }
      assertThat(files).as(name).hasSize(1);
      Path f = files.get(0);
      long records = switch (spec.format()) {
        case "csv" -> {
          List<List<String>> rows = DatasetGeneratorTest.readCsv(f);
          assertThat(rows.get(0)).as(name).containsExactlyElementsOf(spec.rawColumns());
          assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r).hasSize(spec.rawColumns().size()));
          yield rows.size() - 1;
        }
        case "jsonl" -> {
          List<String> lines = Files.readAllLines(f);
          for (String line : lines) {
            List<String> keys = new ArrayList<>();
            new ObjectMapper().readTree(line).fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(name).containsExactlyElementsOf(spec.rawColumns());
          }
          yield lines.size();
        }
        default -> {
          try (ParquetFileReader p = ParquetFileReader.open(HadoopInputFile.fromPath(
              new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
            assertThat(p.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName))
                .as(name).containsExactlyElementsOf(spec.rawColumns());
            yield p.getRecordCount();
          }
        }
      };
      assertThat(records).as(name).isEqualTo(truth.get("rows").get(name).asLong()).isPositive();
      // one truth row per record (per named subject for intelligence reports, which name one or two)
      int truthRows = persons.get(name).size();
      if (name.equals(PersonSourcesWriter.INTEL)) {
        assertThat(truthRows).isBetween((int) records, 2 * (int) records);
      } else {
        assertThat(truthRows).as(name).isEqualTo((int) records);
      }
    }
  }

  @Test
  void plantedProlificOffendersGroupAndRepeatVictimsAreInTheRecords() {
    Map<String, Set<Integer>> suspects = new HashMap<>(); // incident → true persons suspected or arrested
    Map<Integer, Integer> victimised = new HashMap<>();
    for (List<String> r : police.subList(1, police.size())) {
      int person = persons.get(PersonSourcesWriter.POLICE).get(r.get(0));
      switch (r.get(8)) {
        case "suspect", "arrestee" -> suspects.computeIfAbsent(r.get(3), k -> new HashSet<>()).add(person);
        case "victim" -> victimised.merge(person, 1, Integer::sum);
        default -> assertThat(r.get(8)).isEqualTo("witness");
      }
    }
    Map<Integer, Integer> offences = new HashMap<>();
    Map<Integer, Set<Integer>> coOffenders = new HashMap<>();
    suspects.values().forEach(s -> s.forEach(p -> {
      offences.merge(p, 1, Integer::sum);
      s.stream().filter(q -> !q.equals(p)).forEach(q -> coOffenders.computeIfAbsent(p, k -> new HashSet<>()).add(q));
    }));
    Set<Integer> prolific = ids(truth.get("prolific_offenders"));
    assertThat(prolific).hasSize(10).allSatisfy(p -> assertThat(offences.get(p)).isBetween(12, 20));
    offences.forEach((p, n) -> assertThat(prolific.contains(p) || n <= 4).as("person " + p + ": " + n).isTrue());

    Set<Integer> a = ids(truth.at("/organised_group/clique_a"));
    Set<Integer> b = ids(truth.at("/organised_group/clique_b"));
    int broker = truth.at("/organised_group/broker").asInt();
    for (Set<Integer> clique : List.of(a, b)) { // every pair offends together
      clique.forEach(p -> assertThat(coOffenders.get(p)).containsAll(clique.stream().filter(q -> q != p).toList()));
    }
    assertThat(coOffenders.get(broker)).hasSize(2).containsAnyElementsOf(a).containsAnyElementsOf(b);
    Set<Integer> group = new HashSet<>(a);
    group.addAll(b);
    group.add(broker);
    assertThat(component(coOffenders, broker, -1)).isEqualTo(group);
    assertThat(component(coOffenders, a.iterator().next(), broker)).isEqualTo(a); // the broker is the only bridge

    Set<Integer> repeat = ids(truth.get("repeat_victims"));
    assertThat(repeat).hasSize(10).allSatisfy(v -> assertThat(victimised.get(v)).isBetween(3, 5));
    victimised.forEach((v, n) -> assertThat(repeat.contains(v) || n == 1).as("victim " + v + ": " + n).isTrue());
  }

  /** The persons reachable from {@code start} in the co-offending graph, never through {@code without}. */
  static Set<Integer> component(Map<Integer, Set<Integer>> edges, int start, int without) {
    Set<Integer> seen = new HashSet<>(List.of(start));
    ArrayDeque<Integer> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      for (int q : edges.getOrDefault(todo.poll(), Set.of())) {
        if (q != without && seen.add(q)) {
          todo.add(q);
        }
      }
    }
    return seen;
  }

  static Set<Integer> ids(JsonNode array) {
    Set<Integer> out = new HashSet<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }
}
