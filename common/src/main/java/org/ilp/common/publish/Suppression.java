package org.ilp.common.publish;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ilp.common.assess.Cube;

/**
 * Runs {@link DisclosureControl} on a count cube ({@link Cube#cube}) once per (period type, period,
 * jurisdiction) — each is one crossed table (area tree × offence tree) — as distributed Spark work
 * ({@code groupByKey/flatMapGroups}); returns the status of every cell:
 * {@code period_type, period, jurisdiction, area_code, iccs_l1, iccs_l2, status} with status
 * {@code published | primary | secondary}. The pattern is a deterministic function of the cell values,
 * so the same period gets the same pattern wherever it is published (as the current period in one
 * table, as the previous period in the next month's table, in the trend series).
 */
public final class Suppression {
  private Suppression() {}

  static final StructType SCHEMA = new StructType()
      .add("period_type", DataTypes.StringType).add("period", DataTypes.DateType)
      .add("jurisdiction", DataTypes.StringType).add("area_code", DataTypes.StringType)
      .add("iccs_l1", DataTypes.StringType).add("iccs_l2", DataTypes.StringType)
      .add("status", DataTypes.StringType);

  public static Dataset<Row> patterns(Dataset<Row> cube, int k) {
    return cube.select("period_type", "period", "jurisdiction", "level", "area_code", "parent_code", "iccs_l1", "iccs_l2",
            "count")
        .groupByKey((MapFunction<Row, String>) r -> r.getAs("period_type") + "|" + r.getAs("period") + "|"
            + r.getAs("jurisdiction"), Encoders.STRING())
        .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, it) -> table(it, k), Encoders.row(SCHEMA));
  }

  private static Iterator<Row> table(Iterator<Row> it, int k) {
    List<Row> rows = new ArrayList<>();
    List<DisclosureControl.Cell> cells = new ArrayList<>();
    Map<String, String> areaParent = new HashMap<>();
    Map<String, String> offenceParent = new HashMap<>();
    while (it.hasNext()) {
      Row r = it.next();
      rows.add(r);
      String area = r.getAs("area_code");
      String parent = r.getAs("parent_code");
      if (parent != null) {
        areaParent.put(area, parent);
      }
      String l1 = r.getAs("iccs_l1");
      String l2 = r.getAs("iccs_l2");
      String node = l2 != null ? l2 : l1;
      if (l2 != null) {
        offenceParent.put(l2, l1);
      } else if (!Cube.ALL.equals(l1)) {
        offenceParent.put(l1, Cube.ALL);
      }
      cells.add(new DisclosureControl.Cell(area, node, r.<Long>getAs("count")));
    }
    DisclosureControl.Result res = DisclosureControl.suppress(cells, new DisclosureControl.Tree(areaParent),
        new DisclosureControl.Tree(offenceParent), k);
    List<Row> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      DisclosureControl.Cell c = cells.get(i);
      DisclosureControl.Status s = res.status().getOrDefault(new DisclosureControl.Key(c.area(), c.offence()),
          DisclosureControl.Status.PUBLISHED);
      out.add(RowFactory.create(r.getAs("period_type"), r.<Date>getAs("period"), r.getAs("jurisdiction"), c.area(),
          r.getAs("iccs_l1"), r.getAs("iccs_l2"), s.name().toLowerCase(java.util.Locale.ROOT)));
    }
    return out.iterator();
  }
}
