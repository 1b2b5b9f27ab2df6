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
    assertThat(CsvBronzeReader.uniqueSnake(List.of("Crime ID", "crime id", "Month")))
        .containsExactly("crime_id", "crime_id_2", "month");
    assertThat(CsvBronzeReader.normalise("file:///data/x.csv")).isEqualTo("/data/x.csv");
    assertThat(CsvBronzeReader.normalise("file:/data/x.csv")).isEqualTo("/data/x.csv");
    assertThat(CsvBronzeReader.normalise("s3a://b/x.csv")).isEqualTo("s3a://b/x.csv");
  }
}
