package org.ilp.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IlpConfigTest {
  @Test
  void precedenceIsCliThenSetThenFileThenDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("site.conf");
    Files.writeString(file, "ilp.spark.shuffle-partitions = 3\nilp.landing = /from/file\nilp.warehouse = /from/file\n");
    IlpConfig c = IlpConfig.load(file, List.of("ilp.landing=/from/set", "ilp.warehouse=/from/set"),
        Map.of("ilp.warehouse", "/from/cli"));
    assertThat(c.getString("ilp.warehouse")).isEqualTo("/from/cli");
    assertThat(c.getString("ilp.landing")).isEqualTo("/from/set");
    assertThat(c.getInt("ilp.spark.shuffle-partitions")).isEqualTo(3);
    assertThat(c.getString("ilp.spark.master")).isEqualTo("local[*]"); // default
  }

  @Test
  void secretsAreMaskedWhenDescribed() {
    IlpConfig c = IlpConfig.load(null, List.of("ilp.secrets.pseudonym-key=\"top-secret-value\""), Map.of());
    assertThat(String.join("\n", c.describe())).contains("ilp.secrets.pseudonym-key = ****")
        .doesNotContain("top-secret-value");
  }

  @Test
  void badInputSaysWhatIsWrong(@TempDir Path dir) {
    assertThatThrownBy(() -> IlpConfig.load(dir.resolve("missing.conf"), List.of(), Map.of()))
        .hasMessageContaining("--conf file not found");
    assertThatThrownBy(() -> IlpConfig.load(null, List.of("no-equals-sign"), Map.of()))
        .hasMessageContaining("key=value");
  }
}
