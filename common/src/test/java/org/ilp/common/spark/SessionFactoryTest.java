package org.ilp.common.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The catalog settings of each metastore mode (the sessions themselves run in the job tests and .ci/cluster). */
class SessionFactoryTest {
  private static final Path WH = Path.of("/data/wh");

  @Test
  void embeddedDerbyKeepsTheMetastoreInsideTheWarehouse() {
    assertThat(SessionFactory.catalogSettings("derby", "ignored", WH))
        .containsEntry("spark.hadoop.javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=/data/wh/_metastore;create=true")
        .containsEntry("spark.hadoop.hive.metastore.warehouse.dir", WH.toUri().toString())
        .doesNotContainKey("spark.hadoop.javax.jdo.option.ConnectionDriverName");
  }

  @Test
  void derbyServerServesTheSameDatabaseThroughTheClientDriver() {
    assertThat(SessionFactory.catalogSettings("derby-server", "127.0.0.1:41527", WH))
        .containsEntry("spark.hadoop.javax.jdo.option.ConnectionURL",
            "jdbc:derby://127.0.0.1:41527//data/wh/_metastore;create=true")
        .containsEntry("spark.hadoop.javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.ClientDriver")
        .containsEntry("spark.hadoop.hive.metastore.warehouse.dir", WH.toUri().toString());
  }

  @Test
  void noneAndMistakes() {
    assertThat(SessionFactory.catalogSettings("none", "", WH)).isEmpty();
    assertThatThrownBy(() -> SessionFactory.catalogSettings("derby-server", "localhost", WH))
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> SessionFactory.catalogSettings("hive", "", WH))
        .hasMessageContaining("derby, derby-server or none");
  }
}
