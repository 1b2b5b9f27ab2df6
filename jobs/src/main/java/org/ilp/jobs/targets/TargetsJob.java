package org.ilp.jobs.targets;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.assess.Periods;
import org.ilp.common.assess.Repeats;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.ref.Reference;
import org.ilp.common.spark.Cached;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.spark.Keep;
import org.ilp.common.spatial.AreaIndex;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;
import org.ilp.common.targets.Mentions;
import org.ilp.common.targets.OffenderNetwork;
import org.ilp.common.targets.ProlificOffenders;
import org.ilp.common.targets.RepeatVictims;
import org.ilp.common.targets.IntelligenceGaps;
import org.ilp.common.targets.SubjectProfiles;

/**
 * The person-centred targets of intelligence-led policing for one window: prolific offenders, repeat victims and
 * criminal networks, from silver.person_mentions (every agency's persons, by pseudonym).
 *
 * <ul>
 *   <li>gold.prolific_offenders ({@link ProlificOffenders}): recency, frequency and gravity of each offender's
 *       incidents as percent ranks, nationally and per regional area; the top N of each.
 *   <li>gold.repeat_victims and gold.repeat_victim_areas ({@link RepeatVictims}): victims of two or more incidents;
 *       per area and nationally, whether victimisation repeats more than chance gives.
 *   <li>gold.offender_network and gold.network_persons ({@link OffenderNetwork}): co-offending, intelligence and
 *       co-travel links; components, degree, betweenness, cut points, brokers.
 *   <li>gold.subject_profiles ({@link SubjectProfiles}): every person's NIM subject profile (whole history).
 *   <li>gold.intelligence_gaps ({@link IntelligenceGaps}): harm of recorded crime (gold.crime_counts) against the
 *       intelligence reports held, per regional area and ICCS section.
 * </ul>
 * A mention's area is the regional area its location lies in (ref.areas, point in polygon); records without one
 * (border, prisons) count nationally and in the network only.
 *
 * <p><b>Inputs:</b> silver.person_mentions, ref.areas, gold.crime_counts (when assessed), the harm weights. <b>Outputs:</b> the seven tables above, whose
 * rows of the window (period, period_end) are replaced (the profiles: whole); the same window over unchanged inputs is a no-op. Nothing
 * here is ever published: person-level rows stay in gold.
 *
 * <p><b>Knobs:</b> ilp.targets.{window-months, alpha, prolific.top, network.max-betweenness-persons};
 * ilp.assess.harm-weights; CLI --to (default: the latest month of the mentions), --months, --top, --force.
 */
public final class TargetsJob {
  public static final String JOB = "targets";
  static final List<TableDef> INPUTS = List.of(Tables.SILVER_PERSON_MENTIONS, Tables.REF_AREAS, Tables.GOLD_CRIME_COUNTS);
  static final List<TableDef> OUTPUTS = List.of(Tables.GOLD_PROLIFIC_OFFENDERS, Tables.GOLD_REPEAT_VICTIMS,
      Tables.GOLD_REPEAT_VICTIM_AREAS, Tables.GOLD_OFFENDER_NETWORK, Tables.GOLD_NETWORK_PERSONS,
      Tables.GOLD_SUBJECT_PROFILES, Tables.GOLD_INTELLIGENCE_GAPS);

  private TargetsJob() {}

  /**
   * @param periodEnd last month of the window; null = the latest month of silver.person_mentions
   * @param months window in months
   * @param alpha significance of "more repeat victimisation than chance"
   * @param top offenders kept per scope
   * @param maxBetweennessPersons the largest network whose betweenness is computed exactly
   */
  public record Params(LocalDate periodEnd, int months, double alpha, int top, int maxBetweennessPersons,
      String harmWeights, boolean force) {
    public Params {
      if (months < 1 || months > 120) {
        throw new IllegalArgumentException("--months must be in 1..120: " + months);
      }
      if (!(alpha > 0 && alpha < 1)) {
        throw new IllegalArgumentException("ilp.targets.alpha must be in (0, 1): " + alpha);
      }
      if (top < 1) {
        throw new IllegalArgumentException("--top must be at least 1: " + top);
      }
      if (maxBetweennessPersons < 3) {
        throw new IllegalArgumentException("ilp.targets.network.max-betweenness-persons must be at least 3");
      }
    }

    public static Params of(IlpConfig config, String to, Integer months, Integer top, boolean force) {
      var c = config.raw().getConfig("ilp.targets");
      return new Params(to == null ? null : Periods.MONTH.parse(to), months == null ? c.getInt("window-months") : months,
          c.getDouble("alpha"), top == null ? c.getInt("prolific.top") : top, c.getInt("network.max-betweenness-persons"),
          config.raw().getString("ilp.assess.harm-weights"), force);
    }

    /** The same parameters ending at {@code end}. */
    Params endingAt(LocalDate end) {
      return new Params(end, months, alpha, top, maxBetweennessPersons, harmWeights, force);
    }

    LocalDate from() {
      return periodEnd.minusMonths(months - 1L);
    }

    LocalDate to() {
      return YearMonth.from(periodEnd).atEndOfMonth();
    }

    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("period_end", periodEnd == null ? "latest" : periodEnd.toString());
      m.put("months", String.valueOf(months));
      m.put("alpha", String.valueOf(alpha));
      m.put("top", String.valueOf(top));
      m.put("max_betweenness_persons", String.valueOf(maxBetweennessPersons));
      m.put("harm_weights", harmWeights);
      m.put("force", String.valueOf(force));
      return m;
    }
  }

  /** The output frames (each without run_id and window columns) and the national repeat-victim totals. */
  public record Outputs(Dataset<Row> prolific, Dataset<Row> victims, Dataset<Row> victimAreas, Dataset<Row> network,
      Dataset<Row> persons, Dataset<Row> profiles, Dataset<Row> gaps, Repeats.Totals national) {}

  /** The pure core: mentions with {@code area_code}, the harm weights and the crime counts → the output frames. */
  public static Outputs transform(Dataset<Row> mentions, Dataset<Row> harm, Dataset<Row> counts, Params p, Keep keep) {
    Dataset<Row> prolific = ProlificOffenders.rank(mentions, harm, p.from(), p.to(), p.top());
    RepeatVictims.Result rv = RepeatVictims.of(mentions, p.from(), p.to(), p.alpha(), keep);
    Dataset<Row> edges = keep.apply(OffenderNetwork.components(OffenderNetwork.edges(mentions, p.from(), p.to())));
    return new Outputs(prolific, rv.victims(), rv.areaRows(p.alpha()), edges,
        OffenderNetwork.persons(edges, p.maxBetweennessPersons()), SubjectProfiles.of(mentions, edges),
        IntelligenceGaps.of(counts, harm, mentions, p.from(), p.to()), rv.national());
  }

  /** The shell: read, check, transform, write. */
  public static JobResult run(JobContext ctx, Params params) {
    SparkSession spark = ctx.spark();
    ctx.stages(3);
    ctx.stage("read", "silver.person_mentions, ref.areas, harm weights");
    Delta.require(spark, "`ilp persons` and `ilp ref`", Tables.SILVER_PERSON_MENTIONS, Tables.REF_AREAS);
    Map<String, Long> inVersions = Delta.versions(spark, INPUTS);
    if (!params.force() && ctx.unchangedSince(inVersions, OUTPUTS, Map.of(Tables.GOLD_CRIME_COUNTS, lit(true)))) {
      return ctx.noop(inVersions, "no change to persons, areas or crime counts since this targets run");
    }
    Dataset<Row> silver = Delta.read(spark, Tables.SILVER_PERSON_MENTIONS);
    Dataset<Row> areas = Delta.read(spark, Tables.REF_AREAS);
    Dataset<Row> mentions = silver;
    Column area = lit(null).cast("string");
    int i = 0;
    for (String jurisdiction : new java.util.TreeSet<>(Reference.jurisdictions().values())) {
      String c = "_area" + i++;
      mentions = Mentions.withArea(mentions, AreaIndex.of(areas, jurisdiction)).withColumnRenamed("area_code", c);
      area = coalesce(area, col(c));
    }
    mentions = mentions.withColumn("area_code", area);
    Dataset<Row> harm = Reference.harmWeights(spark, params.harmWeights());
    // the crimes the intelligence is set against (no crime counts yet: every cell's harm is 0)
    Dataset<Row> counts = Delta.exists(spark, Tables.GOLD_CRIME_COUNTS) ? Delta.read(spark, Tables.GOLD_CRIME_COUNTS)
        : spark.createDataFrame(List.of(), Tables.GOLD_CRIME_COUNTS.schema());
    Reference.requireHarmCoverage(silver.where(col("iccs_l2").isNotNull()).select("iccs_l2")
        .union(counts.select("iccs_l2")).where(col("iccs_l2").isNotNull()), harm, params.harmWeights());

    try (Cached keep = new Cached()) {
      Dataset<Row> kept = keep.apply(mentions.select("mention_id", "person_key", "source", "record_id", "event_date",
          "role", "incident_ref", "iccs_l2", "area_code", "co_travellers", "crossing_point", "supervision_end",
          "source_evaluation", "intelligence_assessment", "iccs_l1"));
      Row seen = kept.agg(count(lit(1)), max("event_date")).head();
      long read = seen.getLong(0);
      if (seen.isNullAt(1)) {
        return ctx.noop(inVersions, "no person records");
      }
      Params p = params.periodEnd() != null ? params : params.endingAt(seen.getDate(1).toLocalDate().withDayOfMonth(1));
      ctx.stageDone("window " + p.from() + " .. " + p.to(), read);
      ctx.stage("targets", "prolific offenders, repeat victims, offender network, profiles, intelligence gaps");
      Outputs o = transform(kept, harm, counts, p, keep);
      ctx.stageDone("computed");
      return write(ctx, p, o, inVersions, read);
    }
  }

  static JobResult write(JobContext ctx, Params p, Outputs o, Map<String, Long> inVersions, long read) {
    ctx.stage("write", "replace the window's rows of the target tables, and the subject profiles");
    Column window = col("period").equalTo(lit(Date.valueOf(p.from())))
        .and(col("period_end").equalTo(lit(Date.valueOf(p.periodEnd()))));
    Map<TableDef, Dataset<Row>> frames = new LinkedHashMap<>();
    frames.put(Tables.GOLD_PROLIFIC_OFFENDERS, o.prolific());
    frames.put(Tables.GOLD_REPEAT_VICTIMS, o.victims());
    frames.put(Tables.GOLD_REPEAT_VICTIM_AREAS, o.victimAreas());
    frames.put(Tables.GOLD_OFFENDER_NETWORK, o.network());
    frames.put(Tables.GOLD_NETWORK_PERSONS, o.persons());
    frames.put(Tables.GOLD_SUBJECT_PROFILES, o.profiles());
    frames.put(Tables.GOLD_INTELLIGENCE_GAPS, o.gaps());
    // profiles are of the whole history: replaced whole; the rest: the window's rows
    List<Writes.Replacement> writes = frames.entrySet().stream().map(e -> new Writes.Replacement(e.getKey(),
        e.getValue().withColumn("run_id", lit(ctx.runId())).withColumn("period", lit(Date.valueOf(p.from())))
            .withColumn("period_end", lit(Date.valueOf(p.periodEnd()))).withColumn("as_of", lit(Date.valueOf(p.to())))
            .select(e.getKey().selection()), e.getKey() == Tables.GOLD_SUBJECT_PROFILES ? lit(true) : window))
        .toList();
    Map<String, Long> out = new LinkedHashMap<>();
    Map<String, Long> outV = new LinkedHashMap<>();
    for (Writes.Replaced r : Writes.replaceEach(writes)) {
      out.put(r.table().name(), r.result().sourceRows());
      outV.put(r.table().name(), r.result().version());
    }
    ctx.stageDone("written");
    Row net = Delta.read(ctx.spark(), Tables.GOLD_NETWORK_PERSONS).where(window).agg(countDistinct("component_id"),
        count(when(col("broker"), 1)), countDistinct(when(col("betweenness").isNull(), col("component_id")))).head();
    Repeats.Totals t = o.national();
    String summary = String.format("%s..%s: %,d prolific-offender rows; %,d repeat victims (%,d of %,d victimisations, "
            + "%s chance, p %.2g); %,d links in %,d networks, %,d brokers, %,d networks too large for betweenness",
        p.from(), p.to(), out.get(Tables.GOLD_PROLIFIC_OFFENDERS.name()), t.repeatTargets(), t.repeatIncidents(),
        t.incidents(), t.pValue() <= p.alpha() ? "more than" : "not more than", t.pValue(),
        out.get(Tables.GOLD_OFFENDER_NETWORK.name()), net.getLong(0), net.getLong(1), net.getLong(2));
    return new JobResult(JOB, ctx.runId(), "succeeded", Map.of(Tables.SILVER_PERSON_MENTIONS.name(), read), out, 0L,
        inVersions, outV, Duration.between(ctx.startedAt(), Instant.now()), summary);
  }
}
