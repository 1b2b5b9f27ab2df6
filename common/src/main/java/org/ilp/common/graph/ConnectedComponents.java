package org.ilp.common.graph;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ilp.common.spark.Keep;
import scala.reflect.ClassTag$;

/**
 * Connected components of an undirected graph with string vertex ids, by GraphX's label propagation
 * ({@code connectedComponents}): the one implementation for identity clusters (records linked into persons) and
 * criminal networks (persons linked into groups).
 */
public final class ConnectedComponents {
  private ConnectedComponents() {}

  /**
   * {@code ids}: one row per vertex, column {@code record_id}; {@code links}: edges {@code id_l, id_r} between them
   * (either direction, repeats harmless). Returns {@code record_id, entity_id}: every vertex with the smallest id of
   * its component (a vertex without an edge is its own component), so the answer does not depend on partitioning.
   */
  public static Dataset<Row> of(Dataset<Row> ids, Dataset<Row> links) {
    Dataset<Row> numbered = Keep.MATERIALIZE.apply(ids.select("record_id").withColumn("vid", monotonically_increasing_id()));
    Dataset<Row> e = links.join(numbered.select(col("record_id").as("id_l"), col("vid").as("vl")), "id_l")
        .join(numbered.select(col("record_id").as("id_r"), col("vid").as("vr")), "id_r").select("vl", "vr");
    JavaRDD<Edge<Object>> edges = e.javaRDD().map(x -> new Edge<>(x.getLong(0), x.getLong(1), (Object) 1));
    Graph<Object, Object> g = Graph.fromEdges(edges.rdd(), (Object) 0, StorageLevel.MEMORY_AND_DISK(),
        StorageLevel.MEMORY_AND_DISK(), ClassTag$.MODULE$.apply(Object.class), ClassTag$.MODULE$.apply(Object.class));
    JavaRDD<Row> cc = g.ops().connectedComponents().vertices().toJavaRDD()
        .map(t -> RowFactory.create((Long) t._1(), (Long) t._2()));
    Dataset<Row> comp = ids.sparkSession().createDataFrame(cc, new StructType().add("vid", DataTypes.LongType)
        .add("component", DataTypes.LongType));
    Dataset<Row> withComp = numbered.join(comp, new String[] {"vid"}, "left")
        .withColumn("component", coalesce(col("component"), col("vid")));
    Dataset<Row> anchor = withComp.groupBy("component").agg(min("record_id").as("entity_id"));
    Dataset<Row> out = Keep.MATERIALIZE.apply(withComp.join(anchor, "component").select("record_id", "entity_id"));
    g.unpersist(false);
    return out;
  }
}
