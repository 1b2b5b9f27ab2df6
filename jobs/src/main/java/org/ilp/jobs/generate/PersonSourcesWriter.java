package org.ilp.jobs.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The person-level sources of the generated landing, each in the format a real export of its kind uses:
 * {@code police_persons/2024-persons.csv} (persons in incidents: suspects, arrestees, victims, witnesses, from
 * local and regional forces), {@code intelligence_reports/2024-intelligence.jsonl} (graded 3×5×2 reports naming
 * subjects), {@code border_crossings/2024-crossings.parquet} (travellers, documents, vehicles, co-travellers) and
 * {@code prison_releases/2024-releases.csv}. The headers are the agencies' (as the other writers' are); the specs in
 * {@code conf/sources/} read them, and {@code PersonSourcesTest} checks that the two agree. Every person is fictitious ({@link PersonPool}); every record is a
 * {@link PersonPool#variant} of its true person, with the planted errors that identity resolution must see through.
 *
 * <p>Planted, all in 2024 (full-plant runs; small runs plant fewer, in brackets) and recorded in the ground truth's
 * {@code person_sources} section, with the true person of every record in {@value #TRUTH_CSV}:
 * <ul>
 *   <li>prolific offenders: 10 (2) persons, each a suspect or arrestee in 12–20 incidents of mixed offences;
 *       ordinary offenders are suspects in 1–2;</li>
 *   <li>an organised group: two cliques of four who offend together (every pair co-suspects in an incident), joined
 *       only through one broker who offends with one member of each clique: the group is one component of the
 *       co-offending network and the broker has its highest betweenness; intelligence reports name clique members
 *       together and the group crosses the border as co-travellers;</li>
 *   <li>repeat victims: 10 (2) persons, victims in 3–5 incidents each; every other victim once.</li>
 * </ul>
 * Persons are not counted in the generator's {@code rows} budget (which is the incident sources').
 */
final class PersonSourcesWriter {
  static final String POLICE = "police_persons";
  static final String INTEL = "intelligence_reports";
  static final String BORDER = "border_crossings";
  static final String PRISONS = "prison_releases";
  /** Every record's true person: source, record_id, person_id (the identity-resolution ground truth). */
  static final String TRUTH_CSV = "person_truth.csv";

  static final String PERSONS_HEADER = "record_id,agency_code,agency_level,incident_ref,incident_date,offence_category,"
      + "incident_lon,incident_lat,role,given_name,family_name,date_of_birth,sex,address_postcode,national_id";
  static final String RELEASES_HEADER = "release_id,establishment,release_date,given_name,family_name,date_of_birth,"
      + "national_id,offence_category,sentence_months,supervision_end,probation_region";
  /** Agencies that export persons: code, level, and a point their incidents lie near (lon, lat). */
  static final List<Object[]> AGENCIES = List.of(new Object[] {"GMP", "regional", -2.24, 53.48},
      new Object[] {"WMP", "regional", -1.89, 52.48}, new Object[] {"MPS", "regional", -0.12, 51.50},
      new Object[] {"MCR-N", "local", -2.23, 53.52}, new Object[] {"BHM-E", "local", -1.84, 52.49});
  static final List<String> OFFENCES = List.of("Burglary", "Robbery", "Vehicle crime", "Drugs", "Shoplifting",
      "Violence and sexual offences", "Criminal damage and arson", "Possession of weapons", "Other theft");
  static final List<String> GROUP_OFFENCES = List.of("Drugs", "Robbery", "Burglary", "Possession of weapons");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.time.format.DateTimeFormatter SUBMITTED =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private final GenContext ctx;
  private final Random rng;
  private final List<PersonPool.Person> pool;
  private final List<String[]> persons = new ArrayList<>();
  private final List<String[]> truth = new ArrayList<>();
  private int incidents;
  private int records;

  PersonSourcesWriter(GenContext ctx, long seed) {
    this.ctx = ctx;
    this.rng = new Random(seed);
    this.pool = PersonPool.persons(ctx.full ? 3000 : 400, seed ^ 0x5EED);
  }

  /** Writes the four sources and the truth file; returns rows per source. */
  Map<String, Long> run() throws IOException {
    int prolificN = ctx.plants(10, 2);
    int repeatN = ctx.plants(10, 2);
    // persons 0..: prolific, group (8 + broker), repeat victims, then everyone else
    List<PersonPool.Person> prolific = pool.subList(0, prolificN);
    List<PersonPool.Person> cliqueA = pool.subList(prolificN, prolificN + 4);
    List<PersonPool.Person> cliqueB = pool.subList(prolificN + 4, prolificN + 8);
    PersonPool.Person broker = pool.get(prolificN + 8);
    List<PersonPool.Person> repeatVictims = pool.subList(prolificN + 9, prolificN + 9 + repeatN);
    List<PersonPool.Person> others = pool.subList(prolificN + 9 + repeatN, pool.size());
    java.util.Iterator<PersonPool.Person> unused = others.subList(0, others.size() - 100).iterator(); // the last 100: witnesses
    java.util.function.Supplier<PersonPool.Person> fresh = () -> { // each ordinary person in one role of one incident
      if (!unused.hasNext()) {
        throw new IllegalStateException("the person pool is too small for the planted incidents");
      }
      return unused.next();
    };

    for (PersonPool.Person p : prolific) {
      for (int i = 0, n = 12 + rng.nextInt(9); i < n; i++) {
        incident(OFFENCES.get(rng.nextInt(OFFENCES.size())), List.of(p), List.of(fresh.get()));
      }
    }
    for (List<PersonPool.Person> clique : List.of(cliqueA, cliqueB)) { // every pair together at least once
      for (int i = 0; i < clique.size(); i++) {
        for (int j = i + 1; j < clique.size(); j++) {
          incident(GROUP_OFFENCES.get(rng.nextInt(GROUP_OFFENCES.size())), List.of(clique.get(i), clique.get(j)),
              List.of(fresh.get()));
        }
      }
    }
    incident("Drugs", List.of(broker, cliqueA.get(0)), List.of());
    incident("Drugs", List.of(broker, cliqueB.get(0)), List.of());
    for (PersonPool.Person v : repeatVictims) {
      for (int i = 0, n = 3 + rng.nextInt(3); i < n; i++) {
        incident(OFFENCES.get(rng.nextInt(OFFENCES.size())), List.of(fresh.get()), List.of(v));
      }
    }
    int ordinary = ctx.full ? 500 : 40;
    for (int i = 0; i < ordinary; i++) { // ordinary offenders: 1-2 incidents, single suspect, victims once
      PersonPool.Person o = fresh.get();
      for (int k = 0, n = 1 + rng.nextInt(2); k < n; k++) {
        incident(OFFENCES.get(rng.nextInt(OFFENCES.size())), List.of(o), List.of(fresh.get()));
      }
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put(POLICE, writeCsv(POLICE, "2024-persons.csv", PERSONS_HEADER, persons));
    List<PersonPool.Person> group = new ArrayList<>(cliqueA);
    group.addAll(cliqueB);
    group.add(broker);
    rows.put(INTEL, intelligence(cliqueA, cliqueB, prolific, others));
    rows.put(BORDER, crossings(group, others));
    rows.put(PRISONS, releases(prolific, others));
    writeCsv(null, TRUTH_CSV, "source,record_id,person_id", truth);

    ObjectNode s = ctx.gt.root.putObject("person_sources");
    s.put("description", "person-level sources (not in rows): true person of every record in " + TRUTH_CSV);
    ObjectNode perSource = s.putObject("rows");
    rows.forEach(perSource::put);
    s.put("persons", pool.size());
    s.put("incidents", incidents);
    ids(s.putArray("prolific_offenders"), prolific);
    ObjectNode g = s.putObject("organised_group");
    ids(g.putArray("clique_a"), cliqueA);
    ids(g.putArray("clique_b"), cliqueB);
    g.put("broker", broker.id());
    ids(s.putArray("repeat_victims"), repeatVictims);
    return rows;
  }

  /** One incident of a random agency in 2024: its suspects (some arrested) and victims, and a witness now and then. */
  private void incident(String offence, List<PersonPool.Person> suspects, List<PersonPool.Person> victims) {
    Object[] a = AGENCIES.get(rng.nextInt(AGENCIES.size()));
    String ref = a[0] + "/24/" + String.format("%06d", ++incidents);
    LocalDate date = LocalDate.of(2024, 1, 1).plusDays(rng.nextInt(366));
    String lon = Fmt.fixed((double) a[2] + (rng.nextDouble() - 0.5) * 0.1, 6);
    String lat = Fmt.fixed((double) a[3] + (rng.nextDouble() - 0.5) * 0.06, 6);
    for (PersonPool.Person p : suspects) {
      personRow(a, ref, date, offence, lon, lat, rng.nextDouble() < 0.4 ? "arrestee" : "suspect", p);
    }
    for (PersonPool.Person p : victims) {
      personRow(a, ref, date, offence, lon, lat, "victim", p);
    }
    if (rng.nextDouble() < 0.2) {
      personRow(a, ref, date, offence, lon, lat, "witness", pool.get(pool.size() - 1 - rng.nextInt(100)));
    }
  }

  private void personRow(Object[] agency, String ref, LocalDate date, String offence, String lon, String lat, String role,
      PersonPool.Person p) {
    String id = "PR-" + String.format("%07d", ++records);
    PersonPool.PersonRecord r = PersonPool.variant(p, id, rng);
    persons.add(new String[] {id, (String) agency[0], (String) agency[1], ref, date.toString(), offence, lon, lat, role,
        r.given(), r.family(), r.dob(), r.sex(), r.postcode(), r.nationalId()});
    truth.add(new String[] {POLICE, id, String.valueOf(p.id())});
  }

  /**
   * Intelligence reports: each pair within a clique is named together in a report (graded, handling code), the
   * prolific offenders alone, and ordinary persons now and then.
   */
  private long intelligence(List<PersonPool.Person> a, List<PersonPool.Person> b, List<PersonPool.Person> prolific,
      List<PersonPool.Person> others) throws IOException {
    List<List<PersonPool.Person>> subjects = new ArrayList<>();
    for (List<PersonPool.Person> clique : List.of(a, b)) {
      for (int i = 0; i < clique.size(); i++) {
        subjects.add(List.of(clique.get(i), clique.get((i + 1) % clique.size())));
      }
    }
    prolific.forEach(p -> subjects.add(List.of(p)));
    for (int i = 0, n = ctx.full ? 150 : 15; i < n; i++) {
      subjects.add(List.of(others.get(rng.nextInt(others.size() - 100))));
    }
    Path f = file(INTEL, "2024-intelligence.jsonl");
    int n = 0;
    try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
      for (List<PersonPool.Person> named : subjects) {
        String id = "IR-" + String.format("%06d", ++n);
        Object[] ag = AGENCIES.get(rng.nextInt(AGENCIES.size()));
        ObjectNode o = JSON.createObjectNode();
        o.put("report_id", id);
        o.put("submitted_at", LocalDateTime.of(2024, 1, 1, 8, 0).plusMinutes(rng.nextInt(366 * 24 * 60))
            .atOffset(ZoneOffset.UTC).format(SUBMITTED));
        o.put("agency_code", (String) ag[0]);
        o.put("agency_level", (String) ag[1]);
        o.put("source_evaluation", 1 + rng.nextInt(3));
        o.put("intelligence_assessment", String.valueOf("ABCDE".charAt(rng.nextInt(5))));
        boolean conditions = rng.nextDouble() < 0.3;
        o.put("handling_code", conditions ? "C" : "P");
        if (conditions) {
          o.put("handling_conditions", "Not to be shared outside law enforcement without the originator's consent");
        } else {
          o.putNull("handling_conditions");
        }
        o.put("theme", GROUP_OFFENCES.get(rng.nextInt(GROUP_OFFENCES.size())));
        ObjectNode loc = o.putObject("location");
        loc.put("lon", (double) ag[2]);
        loc.put("lat", (double) ag[3]);
        loc.put("postcode", named.get(0).postcode());
        ArrayNode subj = o.putArray("subjects");
        for (PersonPool.Person p : named) {
          PersonPool.PersonRecord r = PersonPool.variant(p, id, rng);
          ObjectNode s = subj.addObject();
          s.put("given_name", r.given());
          s.put("family_name", r.family());
          s.put("date_of_birth", r.dob());
          s.put("role", "subject");
          truth.add(new String[] {INTEL, id + "#" + (subj.size()), String.valueOf(p.id())});
        }
        o.put("text", "Reporting indicates the subject(s) are involved in " + o.get("theme").asText().toLowerCase()
            + " in the " + ag[0] + " area; further development recommended.");
        w.write(JSON.writeValueAsString(o));
        w.write('\n');
      }
    }
    return n;
  }

  /** Border crossings: the group travels together (co-travellers) three times; others cross alone now and then. */
  private long crossings(List<PersonPool.Person> group, List<PersonPool.Person> others) throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType("message crossing { required binary crossing_id (STRING); "
        + "required int64 crossed_at (TIMESTAMP(MICROS,true)); optional binary crossing_point (STRING); "
        + "optional binary direction (STRING); optional binary document_type (STRING); "
        + "optional binary document_number (STRING); optional binary given_name (STRING); "
        + "optional binary family_name (STRING); optional binary date_of_birth (STRING); "
        + "optional binary nationality (STRING); optional binary vehicle_registration (STRING); "
        + "optional group co_travellers (LIST) { repeated group list { optional binary element (STRING); } } }");
    List<List<PersonPool.Person>> parties = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      parties.add(group.subList(0, 4)); // clique A with ...
      parties.add(List.of(group.get(4), group.get(5), group.get(8))); // ... and part of clique B with the broker
    }
    for (int i = 0, n = ctx.full ? 300 : 30; i < n; i++) {
      parties.add(List.of(others.get(rng.nextInt(others.size() - 100))));
    }
    Path f = file(BORDER, "2024-crossings.parquet");
    Files.deleteIfExists(f);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    int n = 0;
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(f.toUri()))
        .withConf(new Configuration()).withType(schema).build()) {
      for (List<PersonPool.Person> party : parties) {
        LocalDateTime at = LocalDateTime.of(2024, 1, 1, 0, 0).plusMinutes(rng.nextInt(366 * 24 * 60));
        String point = rng.nextBoolean() ? "DOVER" : "HOLYHEAD";
        String direction = rng.nextBoolean() ? "inbound" : "outbound";
        String vehicle = party.size() > 1 || rng.nextBoolean() ? vehicle() : null;
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < party.size(); k++) {
          ids.add("BX-" + String.format("%07d", n + k + 1));
        }
        for (int k = 0; k < party.size(); k++) {
          PersonPool.Person p = party.get(k);
          PersonPool.PersonRecord r = PersonPool.variant(p, ids.get(k), rng);
          Group g = groups.newGroup().append("crossing_id", ids.get(k))
              .append("crossed_at", at.toEpochSecond(ZoneOffset.UTC) * 1_000_000L);
          g.append("crossing_point", point).append("direction", direction).append("document_type", "passport")
              .append("document_number", passport(p)).append("nationality", "GBR");
          if (r.given() != null) {
            g.append("given_name", r.given());
          }
          g.append("family_name", r.family());
          if (r.dob() != null) {
            g.append("date_of_birth", r.dob());
          }
          if (vehicle != null) {
            g.append("vehicle_registration", vehicle);
          }
          Group list = g.addGroup("co_travellers");
          for (String other : ids) {
            if (!other.equals(ids.get(k))) {
              list.addGroup("list").append("element", other);
            }
          }
          w.write(g);
          truth.add(new String[] {BORDER, ids.get(k), String.valueOf(p.id())});
        }
        n += party.size();
      }
    }
    Files.deleteIfExists(f.resolveSibling("." + f.getFileName() + ".crc"));
    return n;
  }

  /** Releases: half the prolific offenders and some others, released in 2023–24 with a supervision end. */
  private long releases(List<PersonPool.Person> prolific, List<PersonPool.Person> others) throws IOException {
    List<String[]> rows = new ArrayList<>();
    Set<PersonPool.Person> released = new LinkedHashSet<>(prolific.subList(0, Math.max(1, prolific.size() / 2)));
    for (int i = 0, n = ctx.full ? 120 : 12; i < n; i++) {
      released.add(others.get(rng.nextInt(others.size() - 100)));
    }
    int n = 0;
    for (PersonPool.Person p : released) {
      String id = "RL-" + String.format("%06d", ++n);
      PersonPool.PersonRecord r = PersonPool.variant(p, id, rng);
      LocalDate out = LocalDate.of(2023, 1, 1).plusDays(rng.nextInt(700));
      int months = 3 + rng.nextInt(46);
      rows.add(new String[] {id, rng.nextBoolean() ? "HMP Manchester" : "HMP Birmingham", out.toString(), r.given(),
          r.family(), r.dob(), r.nationalId(), OFFENCES.get(rng.nextInt(OFFENCES.size())), String.valueOf(months),
          out.plusMonths(months / 2 + 12).toString(), rng.nextBoolean() ? "North West" : "West Midlands"});
      truth.add(new String[] {PRISONS, id, String.valueOf(p.id())});
    }
    return writeCsv(PRISONS, "2024-releases.csv", RELEASES_HEADER, rows);
  }

  /** A person's passport number: nine digits, the same on every crossing (agencies copy it from the document). */
  static String passport(PersonPool.Person p) {
    return String.format("%09d", Math.floorMod(p.id() * 7919L + 104729L * (p.dob().toEpochDay() + 1), 1_000_000_000L));
  }

  private String vehicle() {
    String l = "ABCDEFGHJKLMNOPRSTUVWXY";
    return "" + l.charAt(rng.nextInt(l.length())) + l.charAt(rng.nextInt(l.length())) + (10 + rng.nextInt(90)) + " "
        + l.charAt(rng.nextInt(l.length())) + l.charAt(rng.nextInt(l.length())) + l.charAt(rng.nextInt(l.length()));
  }

  private Path file(String source, String name) throws IOException {
    Path dir = source == null ? ctx.out : ctx.out.resolve(source);
    Files.createDirectories(dir);
    return dir.resolve(name);
  }

  private long writeCsv(String source, String name, String header, List<String[]> rows) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file(source, name), StandardCharsets.UTF_8)) {
      w.write(header);
      w.write('\n');
      for (String[] r : rows) {
        w.write(Fmt.csvLine(java.util.Arrays.stream(r).map(v -> v == null ? "" : v).toArray(String[]::new)));
        w.write('\n');
      }
    }
    return rows.size();
  }

  private static void ids(ArrayNode out, List<PersonPool.Person> persons) {
    persons.forEach(p -> out.add(p.id()));
  }
}
