package org.ilp.common.targets;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.graph.ConnectedComponents;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.BiconnectivityInspector;
import org.jgrapht.alg.scoring.BetweennessCentrality;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/**
 * The criminal network of a window: persons linked by co-offending (suspects or arrestees of one police incident),
 * by an intelligence report naming them together, and by crossing a border in one party; its connected components
 * (GraphX, {@link ConnectedComponents}), and per person the degree, the betweenness centrality (Brandes 2001, "A
 * faster algorithm for betweenness centrality", J. Math. Sociology 25(2); JGraphT's {@code BetweennessCentrality},
 * unweighted and undirected: the number of shortest paths between two others that pass through the person, each
 * pair's paths sharing one unit) and whether the person is a cut point (articulation point: removing them splits the
 * network; JGraphT's {@code BiconnectivityInspector}). The <b>broker</b> of a network of three or more is its cut point
 * of highest betweenness: the person through whom its parts reach each other (Morselli 2009, "Inside Criminal
 * Networks").
 *
 * <p>Betweenness is exact and costs O(n·m) per network, computed on one executor per network: networks of more than
 * {@code maxBetweennessPersons} persons get degree only (betweenness and cut point null) — a national run states how
 * many were left so in its summary.
 */
public final class OffenderNetwork {
  private OffenderNetwork() {}

  static final StructType SCORES = new StructType().add("person_key", DataTypes.StringType)
      .add("betweenness", DataTypes.DoubleType).add("betweenness_normalised", DataTypes.DoubleType)
      .add("cut_point", DataTypes.BooleanType);

  /**
   * The links of the window [from, to]: person_a &lt; person_b, co_offending, intelligence, co_travel (events of each
   * kind shared), links (their sum), first_date, last_date. {@code mentions}: silver.person_mentions rows.
   */
  public static Dataset<Row> edges(Dataset<Row> mentions, LocalDate from, LocalDate to) {
    Dataset<Row> m = mentions.where(Mentions.within(from, to).and(col("person_key").isNotNull()));
    Dataset<Row> offending = Mentions.incidents(m, "suspect", "arrestee")
        .select(lit("co_offending").as("kind"), col("incident_ref").as("event_id"), col("person_key"), col("event_date"));
    Dataset<Row> intelligence = m.where(col("source").equalTo(Mentions.INTELLIGENCE))
        .select(lit("intelligence").as("kind"), col("record_id").as("event_id"), col("person_key"), col("event_date"));
    // a party crossing together: each traveller's row names the others; the party is known by its smallest mention id
    Dataset<Row> travel = m.where(col("source").equalTo(Mentions.BORDER).and(size(col("co_travellers")).gt(0)))
        .select(lit("co_travel").as("kind"), array_min(array_union(array(col("mention_id")), col("co_travellers")))
            .as("event_id"), col("person_key"), col("event_date"));
    Dataset<Row> events = offending.unionByName(intelligence).unionByName(travel).distinct();
    Dataset<Row> pairs = events.as("a").join(events.as("b"), col("a.kind").equalTo(col("b.kind"))
            .and(col("a.event_id").equalTo(col("b.event_id"))).and(col("a.person_key").lt(col("b.person_key"))))
        .select(col("a.kind").as("kind"), col("a.event_id").as("event_id"), col("a.person_key").as("person_a"),
            col("b.person_key").as("person_b"), least(col("a.event_date"), col("b.event_date")).as("event_date"))
        .dropDuplicates("kind", "event_id", "person_a", "person_b");
    return pairs.groupBy("person_a", "person_b").agg(
            count(when(col("kind").equalTo("co_offending"), 1)).as("co_offending"),
            count(when(col("kind").equalTo("intelligence"), 1)).as("intelligence"),
            count(when(col("kind").equalTo("co_travel"), 1)).as("co_travel"), count(lit(1)).as("links"),
            min("event_date").as("first_date"), max("event_date").as("last_date"));
  }

  /** The edges with {@code component_id}: the smallest pseudonym of the connected component of the link. */
  public static Dataset<Row> components(Dataset<Row> edges) {
    Dataset<Row> persons = edges.select(col("person_a").as("record_id"))
        .union(edges.select(col("person_b").as("record_id"))).distinct();
    Dataset<Row> cc = ConnectedComponents.of(persons, edges.select(col("person_a").as("id_l"), col("person_b").as("id_r")));
    return edges.join(cc.select(col("record_id").as("person_a"), col("entity_id").as("component_id")), "person_a");
  }

  /**
   * Per linked person, from {@link #components}' output: person_key, component_id, component_size, degree,
   * betweenness, betweenness_normalised ({@code b / ((n − 1)(n − 2) / 2)}), cut_point, broker, rank_in_component.
   * Degree and size are aggregates; only the links of networks of at most {@code maxBetweennessPersons} persons are
   * gathered, one network per task, for betweenness and cut points (a national giant component never is).
   */
  public static Dataset<Row> persons(Dataset<Row> componentEdges, int maxBetweennessPersons) {
    Dataset<Row> ends = componentEdges.select(col("component_id"), col("person_a").as("person_key"))
        .union(componentEdges.select(col("component_id"), col("person_b").as("person_key")));
    Dataset<Row> degree = ends.groupBy("component_id", "person_key").agg(count(lit(1)).cast("int").as("degree"))
        .withColumn("component_size", count(lit(1)).over(Window.partitionBy("component_id")));
    Dataset<Row> small = degree.where(col("component_size").leq(maxBetweennessPersons)).select("component_id")
        .distinct();
    Dataset<Row> scores = componentEdges.join(small, "component_id").select("component_id", "person_a", "person_b")
        .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
        .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (component, rows) -> score(rows), Encoders.row(SCORES));
    Dataset<Row> all = degree.join(scores, new String[] {"person_key"}, "left");
    Dataset<Row> brokers = all.where(col("cut_point").and(col("component_size").geq(3)))
        .withColumn("_r", row_number().over(Window.partitionBy("component_id")
            .orderBy(col("betweenness").desc(), col("degree").desc(), col("person_key"))))
        .where(col("_r").equalTo(1)).select(col("person_key"), lit(true).as("broker"));
    return all.join(brokers, new String[] {"person_key"}, "left")
        .withColumn("broker", when(col("betweenness").isNull(), lit(null).cast("boolean"))
            .otherwise(coalesce(col("broker"), lit(false))))
        .withColumn("rank_in_component", row_number().over(Window.partitionBy("component_id")
            .orderBy(col("betweenness").desc_nulls_last(), col("degree").desc(), col("person_key"))));
  }

  /** One network's persons: the graph built in memory, Brandes' betweenness and the cut points. */
  static Iterator<Row> score(Iterator<Row> rows) {
    Graph<String, DefaultEdge> g = new SimpleGraph<>(DefaultEdge.class);
    while (rows.hasNext()) {
      Row r = rows.next();
      g.addVertex(r.getString(1));
      g.addVertex(r.getString(2));
      g.addEdge(r.getString(1), r.getString(2));
    }
    Map<String, Double> betweenness = new BetweennessCentrality<>(g, false).getScores();
    Set<String> cuts = new BiconnectivityInspector<>(g).getCutpoints();
    long n = g.vertexSet().size();
    double pairs = (n - 1) * (n - 2) / 2.0;
    List<Row> out = new ArrayList<>();
    for (String v : g.vertexSet()) {
      double b = betweenness.get(v);
      out.add(RowFactory.create(v, b, pairs > 0 ? b / pairs : 0.0, cuts.contains(v)));
    }
    return out.iterator();
  }
}
