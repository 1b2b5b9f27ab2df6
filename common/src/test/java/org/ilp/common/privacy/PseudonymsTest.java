package org.ilp.common.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymsTest {
  static final String KEY = "0123456789abcdef0123456789abcdef-test-only";

  /** RFC 4231 test case 7: a 131-byte key of 0xaa and a 152-byte message. */
  @Test
  void hmacIsRfc4231() {
    byte[] key = new byte[131];
    Arrays.fill(key, (byte) 0xaa);
    String msg = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to"
        + " be hashed before being used by the HMAC algorithm.";
    assertThat(HexFormat.of().formatHex(new Pseudonyms(key).hmac(msg.getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  }

  @Test
  void pseudonymsAreKeyedNamespacedAndStable() {
    Pseudonyms p = Pseudonyms.ofText(KEY, "test");
    String a = p.of("person", "SMITH|JOHN|1980-02-03");
    assertThat(a).hasSize(64).isEqualTo(Pseudonyms.ofText(KEY, "test").of("person", "SMITH|JOHN|1980-02-03"));
    // the message is namespace ‖ 0x00 ‖ value
    assertThat(a).isEqualTo(HexFormat.of().formatHex(p.hmac("person\0SMITH|JOHN|1980-02-03".getBytes(StandardCharsets.UTF_8))));
    assertThat(p.of("document", "SMITH|JOHN|1980-02-03")).isNotEqualTo(a);
    assertThat(Pseudonyms.ofText(KEY + "x", "test").of("person", "SMITH|JOHN|1980-02-03")).isNotEqualTo(a);
    assertThat(p.of("person", null)).isNull();
    assertThat(p.toString()).doesNotContain(KEY).contains("****");
  }

  @Test
  void theKeyComesFromTheEnvironmentOrAnOwnerOnlyFile(@TempDir Path dir) throws Exception {
    assertThat(Pseudonyms.fromConfig(ConfigFactory.parseMap(Map.of("pseudonym-key", KEY))).of("p", "x"))
        .isEqualTo(Pseudonyms.ofText(KEY, "t").of("p", "x"));
    assertThatThrownBy(() -> Pseudonyms.fromConfig(ConfigFactory.empty()))
        .hasMessageContaining(Pseudonyms.ENV).hasMessageContaining("keygen");
    assertThatThrownBy(() -> Pseudonyms.fromConfig(ConfigFactory.parseMap(Map.of("pseudonym-key", "short"))))
        .hasMessageContaining("shorter than 32").hasMessageNotContaining("short\"");

    Path f = dir.resolve("key");
    Files.writeString(f, KEY + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> Pseudonyms.fromConfig(ConfigFactory.parseMap(Map.of("pseudonym-key-file", f.toString()))))
        .hasMessageContaining("readable by others").hasMessageContaining("chmod 600").hasMessageNotContaining(KEY);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertThat(Pseudonyms.fromConfig(ConfigFactory.parseMap(Map.of("pseudonym-key-file", f.toString()))).of("p", "x"))
        .isEqualTo(Pseudonyms.ofText(KEY, "t").of("p", "x"));
    assertThatThrownBy(() -> Pseudonyms.fromFile(dir.resolve("missing"))).hasMessageContaining("not a regular file");
  }
}
