package org.ilp.jobs.retention;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.typesafe.config.Config;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ilp.common.access.AccessPolicy;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spark.JobContext;
import org.ilp.common.spark.JobResult;
import org.ilp.common.table.Delta;
import org.ilp.common.table.TableDef;
import org.ilp.common.table.Tables;
import org.ilp.common.table.Writes;

/**
 * `ilp retention`: enforces the retention rules of {@code ilp.retention} (Law Enforcement Directive Art. 5: time limits
 * for erasure, enforced rather than promised). For each rule, in order, and each existing table it names: the rows
 * dated before the cutoff ({@code as-of} minus the rule's months; rows without a date are kept) are deleted — or, with
 * {@code clear}, the named columns emptied — or, with {@code orphans-of}, the rows whose key has no row left in that
 * table (the vault's identities of erased person records); then the files are made unrecoverable
 * ({@link Writes#purge}: deletion vectors purged, VACUUM with {@code vacuum-retain-hours}, 0 by default, so no time
 * travel reaches the erased rows).
 *
 * <p><b>Inputs:</b> the tables the rules name. <b>Outputs:</b> those tables, and ops.erasure_log (one row per table
 * and rule, dry runs too: rows before, erased, after, the versions). <b>Knobs:</b> ilp.retention.rules,
 * ilp.retention.vacuum-retain-hours; CLI --as-of (default today, UTC), --dry-run (count, change nothing).
 */
public final class RetentionJob {
  public static final String JOB = "retention";

  private RetentionJob() {}

  /**
   * One rule of {@code ilp.retention.rules}.
   *
   * @param dateColumn the column compared with the cutoff (date rules)
   * @param months     months kept before {@code as-of}; 0 keeps forever
   * @param clear      columns emptied instead of deleting the rows (empty: delete)
   * @param orphansOf  for an orphan rule: the table whose {@code key} values the rows must still have
   */
  public record Rule(String name, List<String> tables, String dateColumn, int months, List<String> clear,
      String orphansOf, String key) {
    public Rule {
      tables = List.copyOf(tables);
      clear = List.copyOf(clear);
      if ((orphansOf == null) == (dateColumn == null)) {
        throw new IllegalArgumentException("retention rule " + name + ": give date-column and months, or orphans-of and key");
      }
      if (months < 0 || (orphansOf != null && key == null)) {
        throw new IllegalArgumentException("retention rule " + name + ": months >= 0; orphans-of needs a key");
      }
    }

    static Rule of(Config c) {
      return new Rule(c.getString("name"), c.getStringList("tables"),
          c.hasPath("date-column") ? c.getString("date-column") : null, c.hasPath("months") ? c.getInt("months") : 0,
          c.hasPath("clear") ? c.getStringList("clear") : List.of(), c.hasPath("orphans-of") ? c.getString("orphans-of")
              : null, c.hasPath("key") ? c.getString("key") : null);
    }

    /** The first day kept: as-of minus the months (null: keep forever). */
    LocalDate cutoff(LocalDate asOf) {
      return orphansOf != null || months == 0 ? null : asOf.minusMonths(months);
    }
  }

  /** Validated parameters. */
  public record Params(LocalDate asOf, boolean dryRun, int vacuumRetainHours, List<Rule> rules) {
    public Params {
      rules = List.copyOf(rules);
      if (vacuumRetainHours < 0) {
        throw new IllegalArgumentException("ilp.retention.vacuum-retain-hours must be 0 or more");
      }
    }

    public static Params of(IlpConfig config, LocalDate asOf, boolean dryRun) {
      Config c = config.raw().getConfig("ilp.retention");
      return new Params(asOf == null ? LocalDate.now(java.time.ZoneOffset.UTC) : asOf, dryRun,
          c.getInt("vacuum-retain-hours"), c.getConfigList("rules").stream().map(Rule::of).toList());
    }

    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("as_of", asOf.toString());
      m.put("dry_run", String.valueOf(dryRun));
      m.put("vacuum_retain_hours", String.valueOf(vacuumRetainHours));
      return m;
    }
  }

  /** The rows of {@code rule} past retention in {@code table}: the pure core of a date rule. */
  static Column pastRetention(Rule rule, LocalDate cutoff, TableDef table) {
    Column old = col("`" + rule.dateColumn() + "`").lt(lit(Date.valueOf(cutoff)));
    // a clearing rule touches only rows that still hold something to clear
    Column holding = rule.clear().stream().map(c -> col("`" + c + "`").isNotNull()).reduce(Column::or).orElse(lit(true));
    return old.and(holding);
  }

  /** The rows of {@code table} whose key has no row in {@code of}: the pure core of an orphan rule. */
  static Dataset<Row> orphans(Dataset<Row> table, Dataset<Row> of, String key) {
    return table.select(col(key)).join(of.select(col(key)), table.col(key).equalTo(of.col(key)), "left_anti");
  }

  public static JobResult run(JobContext ctx, Params p) {
    SparkSession spark = ctx.spark();
    List<Row> log = new ArrayList<>();
    Map<String, Long> in = new LinkedHashMap<>();
    Map<String, Long> out = new LinkedHashMap<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    long erasedAll = 0;
    ctx.stages(p.rules().size());
    for (Rule rule : p.rules()) {
      ctx.stage(rule.name(), rule.orphansOf() != null ? "rows without a " + rule.key() + " in " + rule.orphansOf()
          : rule.months() == 0 ? "kept forever" : "before " + rule.cutoff(p.asOf()) + " by " + rule.dateColumn());
      LocalDate cutoff = rule.cutoff(p.asOf());
      long ruleErased = 0;
      for (TableDef t : Tables.all()) {
        if (!AccessPolicy.matches(rule.tables(), t.name()) || !Delta.exists(spark, t)
            || (rule.orphansOf() == null && cutoff == null)) {
          continue;
        }
        long versionBefore = Delta.version(spark, t);
        Dataset<Row> rows = Delta.read(spark, t);
        Dataset<Row> orphanKeys = null;
        Column past;
        if (rule.orphansOf() != null) {
          TableDef of = Tables.byName(rule.orphansOf());
          orphanKeys = orphans(rows, Delta.exists(spark, of) ? Delta.read(spark, of)
              : spark.emptyDataFrame().select(lit(null).cast("string").as(rule.key())), rule.key()).cache();
          past = lit(false);
        } else {
          past = pastRetention(rule, cutoff, t);
        }
        // one pass: the rows, and those past retention
        Row counts = rows.agg(org.apache.spark.sql.functions.count(lit(1)),
            org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.when(past, 1))).head();
        long before = counts.getLong(0);
        long erased = orphanKeys != null ? orphanKeys.count() : counts.getLong(1);
        long versionAfter = versionBefore;
        boolean vacuumed = false;
        if (!p.dryRun() && erased > 0) {
          versionAfter = (orphanKeys != null ? Writes.deleteKeys(spark, t, orphanKeys, rule.key())
              : rule.clear().isEmpty() ? Writes.delete(spark, t, past) : Writes.clear(spark, t, past, rule.clear()))
              .version();
          Writes.purge(spark, t, p.vacuumRetainHours());
          vacuumed = true;
          out.put(t.name(), out.getOrDefault(t.name(), 0L) + erased);
          versions.put(t.name(), versionAfter);
        }
        if (orphanKeys != null) {
          orphanKeys.unpersist();
        }
        long after = p.dryRun() || !rule.clear().isEmpty() ? before : before - erased;
        in.put(t.name(), before);
        ruleErased += erased;
        log.add(RowFactory.create(ctx.runId(), Timestamp.from(Instant.now()), t.name(), rule.name(),
            cutoff == null ? null : Date.valueOf(cutoff), rule.dateColumn(), before, erased, after, p.dryRun(), vacuumed,
            versionBefore, versionAfter));
      }
      erasedAll += ruleErased;
      ctx.stageDone((p.dryRun() ? "past retention (dry run)" : rule.clear().isEmpty() ? "erased" : "cleared"), ruleErased);
    }
    long logVersion = Writes.append(Tables.OPS_ERASURE_LOG,
        spark.createDataFrame(log, Tables.OPS_ERASURE_LOG.schema())).version();
    versions.put(Tables.OPS_ERASURE_LOG.name(), logVersion);
    out.put(Tables.OPS_ERASURE_LOG.name(), (long) log.size());
    String summary = String.format("%s%,d rows past retention in %d tables (as of %s)%s",
        p.dryRun() ? "dry run: " : "", erasedAll, log.stream().filter(r -> r.getLong(7) > 0).count(), p.asOf(),
        p.dryRun() ? "; nothing changed" : "; erased and vacuumed (ops.erasure_log)");
    return new JobResult(JOB, ctx.runId(), "succeeded", in, out, 0L, Map.of(), versions,
        Duration.between(ctx.startedAt(), Instant.now()), summary);
  }
}
