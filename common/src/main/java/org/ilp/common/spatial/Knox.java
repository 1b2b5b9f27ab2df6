package org.ilp.common.spatial;

import static org.apache.spark.sql.functions.*;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Knox test of space–time interaction with a Monte Carlo null, as the Near Repeat Calculator (Ratcliffe 2009)
 * and the NearRepeat R package (Steenbeek) compute it, as distributed Spark work.
 *
 * <p><b>Pairs.</b> Every unordered pair of events {i, j} is counted in the spatial band that holds the ceiling of
 * their distance in metres ({@code ⌈d⌉ ∈ [from, to]}: the band 0–0 holds pairs at the same point, 1–200 those with
 * 0 < d ≤ 200) and the temporal band that holds the whole calendar days between their dates (|day_i − day_j|,
 * 0–7 = same day to a week apart). Pairs outside every band are not counted. They are found by a self-join on
 * square buckets the size of the largest distance (each event meets the events of its own and the 8 neighbouring
 * buckets), never by an n × n matrix.
 *
 * <p><b>Null.</b> Under no space–time interaction, which event happened on which date is exchangeable: permutation
 * k (1..P) assigns the events' dates to the events in a random order (Fisher–Yates, {@link SplittableRandom} seeded
 * by the seed and k, so a seed gives the same null on any number of partitions); the spatially close pairs are
 * fixed and only their day differences change. Each partition of the pairs counts its pairs under all P
 * permutations (in chunks of a bounded size) and returns one array of counts; only those arrays ((P + 1) × bands
 * numbers per partition) reach the driver, never a pair.
 *
 * <p><b>Statistics</b> per band: observed O; the null's mean, median, 95th and 99th percentiles (R's type 7); the
 * Knox ratio O / mean (NRC) and O / median (NearRepeat's {@code knox_ratio_median}); the pseudo p-value
 * (1 + #{null ≥ O}) / (1 + P) (Besag &amp; Diggle 1977; NRC, NearRepeat). A band is significant when its ratio
 * exceeds 1 and p ≤ alpha.
 */
public final class Knox {
  private Knox() {}

  /** An inclusive integer range (metres or days). */
  public record Band(int from, int to) implements Serializable {
    public Band {
      if (from < 0 || to < from) {
        throw new IllegalArgumentException("band " + from + "-" + to + ": need 0 <= from <= to");
      }
    }

    public boolean contains(long v) {
      return v >= from && v <= to;
    }

    @Override
    public String toString() {
      return from == to ? String.valueOf(from) : from + "-" + to;
    }
  }

  /**
   * Parses "0,1-200,201-400": ascending, non-overlapping inclusive bands ("200" alone = 200-200).
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static List<Band> parseBands(String what, String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(what + " bands are empty");
    }
    List<Band> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      try {
        int dash = p.indexOf('-', 1);
        Band b = dash < 0 ? new Band(Integer.parseInt(p), Integer.parseInt(p))
            : new Band(Integer.parseInt(p.substring(0, dash).trim()), Integer.parseInt(p.substring(dash + 1).trim()));
        if (!out.isEmpty() && b.from() <= out.get(out.size() - 1).to()) {
          throw new IllegalArgumentException(what + " bands must ascend without overlap: '" + spec + "'");
        }
        out.add(b);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(what + " band '" + p + "' is not N or N-M (whole numbers): '" + spec + "'");
      }
    }
    return List.copyOf(out);
  }

  /** Euclidean (straight line) or Manhattan (|dx| + |dy|, a street grid) distance. */
  public enum Metric {
    EUCLIDEAN, MANHATTAN;

    public static Metric parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--metric must be euclidean or manhattan: " + s);
      }
    }

    public double distance(double dx, double dy) {
      return this == EUCLIDEAN ? Math.sqrt(dx * dx + dy * dy) : Math.abs(dx) + Math.abs(dy);
    }

    Column column(Column dx, Column dy) {
      return this == EUCLIDEAN ? sqrt(dx.multiply(dx).plus(dy.multiply(dy))) : abs(dx).plus(abs(dy));
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What to test. */
  public record Spec(List<Band> distance, List<Band> time, Metric metric, int permutations, long seed, double alpha)
      implements Serializable {
    public Spec {
      distance = List.copyOf(distance);
      time = List.copyOf(time);
      if (distance.isEmpty() || time.isEmpty()) {
        throw new IllegalArgumentException("need at least one distance and one time band");
      }
      if (permutations < 1 || permutations > 99_999) {
        throw new IllegalArgumentException("--permutations must be in 1..99999: " + permutations);
      }
      if (!(alpha > 0 && alpha < 1)) {
        throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
      }
    }

    public int maxMetres() {
      return distance.get(distance.size() - 1).to();
    }

    public int maxDays() {
      return time.get(time.size() - 1).to();
    }
  }

  /** One spatial × temporal band of the result. */
  public record Cell(Band distance, Band time, long observed, double nullMean, double nullMedian, double nullP95,
      double nullP99, Double knoxRatio, Double knoxRatioMedian, double pValue, boolean significant) {}

  /** The test's result: the events used and one cell per band pair (distance-major order). */
  public record Result(long events, long pairsInBands, List<Cell> cells) {}

  /**
   * The Knox test of {@code events}: columns {@code event_id} (string, unique: it fixes the events' order, so
   * the result does not depend on how the rows are partitioned), {@code x_m}, {@code y_m} (a metric CRS, metres)
   * and {@code day} (int: days since any fixed date); no nulls.
   */
  public static Result test(Dataset<Row> events, Spec spec) {
    SparkSession spark = events.sparkSession();
    JavaRDD<Row> ordered = events.select("event_id", "x_m", "y_m", "day").orderBy("event_id").javaRDD();
    StructType schema = new StructType().add("idx", DataTypes.IntegerType, false).add("x_m", DataTypes.DoubleType, false)
        .add("y_m", DataTypes.DoubleType, false).add("day", DataTypes.IntegerType, false);
    Dataset<Row> indexed = spark.createDataFrame(ordered.zipWithIndex().map(t -> RowFactory.create(
        Math.toIntExact(t._2()), t._1().getDouble(1), t._1().getDouble(2), t._1().getInt(3))), schema)
        .localCheckpoint();
    // the dates in event order: O(events) on the driver, broadcast to the tasks that permute them
    List<Row> dayRows = indexed.select("idx", "day").collectAsList();
    int[] days = new int[dayRows.size()];
    for (Row r : dayRows) {
      days[r.getInt(0)] = r.getInt(1);
    }
    long[] counts = count(pairs(indexed, spec), days, spec);
    return summarise(counts, days.length, spec);
  }

  /**
   * The spatially close pairs i &lt; j (event indices) with their distance band (index into {@code spec.distance},
   * column {@code db}): the bucketed self-join.
   */
  static Dataset<Row> pairs(Dataset<Row> indexed, Spec spec) {
    double bucket = Math.max(1, spec.maxMetres());
    Dataset<Row> b = indexed.withColumn("bx", floor(col("x_m").divide(bucket)).cast("long"))
        .withColumn("by", floor(col("y_m").divide(bucket)).cast("long"));
    SparkSession spark = indexed.sparkSession();
    Dataset<Row> off = spark.range(-1, 2).toDF("ox").crossJoin(spark.range(-1, 2).toDF("oy"));
    Dataset<Row> right = b.crossJoin(broadcast(off)).select(col("idx").as("j"), col("x_m").as("xj"), col("y_m").as("yj"),
        col("bx").plus(col("ox")).as("nbx"), col("by").plus(col("oy")).as("nby"));
    Dataset<Row> left = b.select(col("idx").as("i"), col("x_m").as("xi"), col("y_m").as("yi"), col("bx"), col("by"));
    Column d = ceil(spec.metric().column(col("xi").minus(col("xj")), col("yi").minus(col("yj"))));
    Column band = lit(null).cast("int");
    List<Band> ds = spec.distance();
    for (int k = ds.size() - 1; k >= 0; k--) {
      band = when(col("_d").between(ds.get(k).from(), ds.get(k).to()), lit(k)).otherwise(band);
    }
    return left.join(right, col("bx").equalTo(col("nbx")).and(col("by").equalTo(col("nby")))
            .and(col("i").lt(col("j"))))
        .select(col("i"), col("j"), d.as("_d"))
        .where(col("_d").leq(spec.maxMetres()))
        .select(col("i"), col("j"), band.as("db"))
        .where(col("db").isNotNull());
  }

  /** Counts of the pairs per (permutation, distance band, time band): index (k × D + db) × T + tb; k = 0 observed. */
  static long[] count(Dataset<Row> pairs, int[] days, Spec spec) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(pairs.sparkSession().sparkContext());
    Broadcast<int[]> b = jsc.broadcast(days);
    int size = (spec.permutations() + 1) * spec.distance().size() * spec.time().size();
    try {
      return pairs.select("i", "j", "db").javaRDD().mapPartitions(new PartitionCounter(b, spec))
          .treeReduce((x, y) -> {
            for (int k = 0; k < x.length; k++) {
              x[k] += y[k];
            }
            return x;
          }, 2);
    } catch (UnsupportedOperationException empty) {
      return new long[size]; // no partition at all
    } finally {
      b.destroy();
    }
  }

  /** Counts one partition's pairs under every permutation, a bounded chunk of pairs at a time. */
  static final class PartitionCounter implements FlatMapFunction<Iterator<Row>, long[]> {
    static final int CHUNK = 1 << 21;
    private final Broadcast<int[]> days;
    private final Spec spec;

    PartitionCounter(Broadcast<int[]> days, Spec spec) {
      this.days = days;
      this.spec = spec;
    }

    @Override
    public Iterator<long[]> call(Iterator<Row> rows) {
      int[] t = days.value();
      int nd = spec.distance().size();
      int nt = spec.time().size();
      long[] out = new long[(spec.permutations() + 1) * nd * nt];
      // grown as pairs arrive, up to CHUNK: a small partition does not hold 24 MB of buffers
      int[] is = new int[1 << 12];
      int[] js = new int[is.length];
      int[] dbs = new int[is.length];
      int m = 0;
      while (rows.hasNext()) {
        Row r = rows.next();
        if (m == is.length) {
          int n = Math.min(CHUNK, is.length * 2);
          is = Arrays.copyOf(is, n);
          js = Arrays.copyOf(js, n);
          dbs = Arrays.copyOf(dbs, n);
        }
        is[m] = r.getInt(0);
        js[m] = r.getInt(1);
        dbs[m] = r.getInt(2);
        if (++m == CHUNK) {
          countChunk(is, js, dbs, m, t, spec, out);
          m = 0;
        }
      }
      if (m > 0) {
        countChunk(is, js, dbs, m, t, spec, out);
      }
      return List.of(out).iterator();
    }
  }

  static void countChunk(int[] is, int[] js, int[] dbs, int m, int[] days, Spec spec, long[] out) {
    int nt = spec.time().size();
    int block = spec.distance().size() * nt;
    int maxDays = spec.maxDays();
    int[] bandOf = new int[maxDays + 1];
    Arrays.fill(bandOf, -1);
    for (int k = 0; k < nt; k++) {
      Band b = spec.time().get(k);
      for (int v = b.from(); v <= b.to(); v++) {
        bandOf[v] = k;
      }
    }
    int[] perm = days.clone();
    for (int k = 0; k <= spec.permutations(); k++) {
      int[] t = k == 0 ? days : permuted(days, perm, spec.seed(), k);
      int base = k * block;
      for (int p = 0; p < m; p++) {
        int dt = t[is[p]] - t[js[p]];
        if (dt < 0) {
          dt = -dt;
        }
        if (dt <= maxDays) {
          int tb = bandOf[dt];
          if (tb >= 0) {
            out[base + dbs[p] * nt + tb]++;
          }
        }
      }
    }
  }

  /** Permutation k ≥ 1 of the dates: a Fisher–Yates shuffle seeded by (seed, k), written into {@code into}. */
  static int[] permuted(int[] days, int[] into, long seed, int k) {
    System.arraycopy(days, 0, into, 0, days.length);
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + k);
    for (int i = into.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int v = into[i];
      into[i] = into[j];
      into[j] = v;
    }
    return into;
  }

  /** The statistics of every band from the counts ({@link #count} layout). */
  static Result summarise(long[] counts, long events, Spec spec) {
    int nd = spec.distance().size();
    int nt = spec.time().size();
    int block = nd * nt;
    int perms = spec.permutations();
    List<Cell> cells = new ArrayList<>();
    long inBands = 0;
    for (int db = 0; db < nd; db++) {
      for (int tb = 0; tb < nt; tb++) {
        int c = db * nt + tb;
        long obs = counts[c];
        inBands += obs;
        double[] nul = new double[perms];
        long atLeast = 0;
        double sum = 0;
        for (int k = 1; k <= perms; k++) {
          long v = counts[k * block + c];
          nul[k - 1] = v;
          sum += v;
          if (v >= obs) {
            atLeast++;
          }
        }
        Arrays.sort(nul);
        double mean = sum / perms;
        double median = quantile(nul, 0.5);
        double p = (1.0 + atLeast) / (1.0 + perms);
        Double ratio = mean > 0 ? obs / mean : null;
        Double ratioMedian = median > 0 ? obs / median : null;
        cells.add(new Cell(spec.distance().get(db), spec.time().get(tb), obs, mean, median, quantile(nul, 0.95),
            quantile(nul, 0.99), ratio, ratioMedian, p, ratio != null && ratio > 1 && p <= spec.alpha()));
      }
    }
    return new Result(events, inBands, List.copyOf(cells));
  }

  /** R's type-7 quantile of sorted values: linear interpolation between order statistics. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
