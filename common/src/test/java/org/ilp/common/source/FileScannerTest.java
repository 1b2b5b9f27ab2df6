package org.ilp.common.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver-side scan: checksum of the stored bytes, header, empty and truncated files. No Spark. */
class FileScannerTest {
  static final SourceSpec STREET = SourceSpec.load("police_uk_street");
  static final String HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
      + "LSOA name,Crime type,Last outcome category,Context";

  @Test
  void checksumIsTheSha256OfTheStoredBytesAndTheHeaderIsParsed(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("2024-01-kent-street.csv");
    Files.writeString(f, "\uFEFF" + HEADER + "\nx,2024-01\n", StandardCharsets.UTF_8);
    ScannedFile s = FileScanner.scan(new Configuration(), f.toString(), STREET);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    assertThat(s.checksum()).isEqualTo(expected);
    assertThat(s.status()).isEqualTo("ok");
    assertThat(s.header()).hasSize(12).startsWith("Crime ID", "Month"); // BOM stripped
  }

  @Test
  void emptyTruncatedAndForeignFilesAreClassified(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("a-street.csv"), "");
    assertThat(FileScanner.scan(new Configuration(), empty.toString(), STREET).status()).isEqualTo("empty");

    Path gz = dir.resolve("b-street.csv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write((HEADER + "\n" + "row,2024-01\n".repeat(5000)).getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = Files.readAllBytes(gz);
    Files.write(gz, java.util.Arrays.copyOf(all, all.length / 2));
    ScannedFile t = FileScanner.scan(new Configuration(), gz.toString(), STREET);
    assertThat(t.status()).isEqualTo("rejected");
    assertThat(t.rule()).isEqualTo("file.unreadable_compression");

    Path foreign = Files.writeString(dir.resolve("c-street.csv"), "ID,Case Number,Date\n1,2,3\n");
    ScannedFile x = FileScanner.scan(new Configuration(), foreign.toString(), STREET);
    assertThat(x.status()).isEqualTo("rejected");
    assertThat(x.reason()).contains("does not look like source police_uk_street");
  }

  @Test
  void aFileThatIsNotGzipBinaryGoneOrLockedIsRejectedWithAReasonNeverThrown(@TempDir Path dir) throws Exception {
    Configuration hadoop = new Configuration();
    // named .gz but plain text: GZIPInputStream fails in its constructor
    Path notGzip = Files.writeString(dir.resolve("d-street.csv.gz"), HEADER + "\nx,2024-01\n");
    ScannedFile g = FileScanner.scan(hadoop, notGzip.toString(), STREET);
    assertThat(g.status()).isEqualTo("rejected");
    assertThat(g.rule()).isEqualTo("file.unreadable_compression");
    assertThat(g.reason()).contains("Not in GZIP format");
    // its checksum is still the SHA-256 of the stored bytes (a re-sent file is recognised as new)
    assertThat(g.checksum()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(notGzip))));

    // binary: 20,000 random bytes, no line break in the first 4,096 characters the CSV parser allows
    byte[] noise = new byte[20_000];
    new java.util.Random(7).nextBytes(noise);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = noise[i] == '\n' || noise[i] == '\r' ? 0 : noise[i];
    }
    Path binary = Files.write(dir.resolve("e-street.csv"), noise);
    ScannedFile b = FileScanner.scan(hadoop, binary.toString(), STREET);
    assertThat(b.status()).isEqualTo("rejected");
    assertThat(b.rule()).isEqualTo("file.header_mismatch");
    assertThat(b.reason()).doesNotContain("\uFFFD").hasSizeLessThan(600);

    // listed, then gone before the scan
    ScannedFile gone = FileScanner.scan(hadoop, dir.resolve("f-street.csv").toString(), STREET);
    assertThat(gone.status()).isEqualTo("rejected");
    assertThat(gone.rule()).isEqualTo("file.unreadable");
    assertThat(gone.reason()).contains("f-street.csv");
    assertThat(gone.checksum()).startsWith("unreadable:");

    // no read permission (root reads it anyway: then it is an ordinary file)
    Path locked = Files.writeString(dir.resolve("g-street.csv"), HEADER + "\nx,2024-01\n");
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    boolean readable;
    try (var in = Files.newInputStream(locked)) {
      readable = true;
    } catch (java.io.IOException e) {
      readable = false;
    }
    ScannedFile l = FileScanner.scan(hadoop, locked.toString(), STREET);
    assertThat(l.status()).isEqualTo(readable ? "ok" : "rejected");
    assertThat(l.rule()).isEqualTo(readable ? null : "file.unreadable");
  }

  @Test
  void listingTakesOnlyTheSpecsFileNamesAndReportsTheRest(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("2024-01"));
    Files.writeString(dir.resolve("2024-01/2024-01-kent-street.csv"), HEADER + "\n");
    Files.writeString(dir.resolve("2024-01/2024-01-kent-outcomes.csv"), "x\n");
    Files.writeString(dir.resolve("README.md"), "x\n");
    List<String> skipped = new java.util.ArrayList<>();
    List<String> files = FileScanner.list(new Configuration(), List.of(dir.toString()), STREET, skipped);
    assertThat(files).hasSize(1).allMatch(p -> p.endsWith("2024-01-kent-street.csv"));
    assertThat(skipped).hasSize(2);
  }

  @Test
  void headersBecomeUniqueSnakeCaseColumnsAndPathsOneSpelling() {
    assertThat(BronzeReader.uniqueSnake(List.of("Crime ID", "crime id", "Month")))
        .containsExactly("crime_id", "crime_id_2", "month");
    assertThat(BronzeReader.normalise("file:///data/x.csv")).isEqualTo("/data/x.csv");
    assertThat(BronzeReader.normalise("file:/data/x.csv")).isEqualTo("/data/x.csv");
    assertThat(BronzeReader.normalise("s3a://b/x.csv")).isEqualTo("s3a://b/x.csv");
  }
}
