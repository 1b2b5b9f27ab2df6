package org.ilp.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads files under {@code conf/}: from the folder named by {@code ILP_CONF_DIR} (the launcher sets
 * it to the checkout's conf/, so edits apply without a rebuild) or, failing that, from the
 * classpath copy (the shaded jar). {@code .gz} files are decompressed.
 */
public final class ConfFiles {
  private ConfFiles() {}

  public static InputStream open(String relative) {
    try {
      InputStream raw = openRaw(relative);
      return relative.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read conf/" + relative + ": " + e.getMessage(), e);
    }
  }

  public static String readString(String relative) {
    try (InputStream in = open(relative)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean exists(String relative) {
    Path dir = confDir();
    if (dir != null && Files.isRegularFile(dir.resolve(relative))) {
      return true;
    }
    return ConfFiles.class.getClassLoader().getResource("conf/" + relative) != null;
  }

  /** The on-disk conf folder when one is known, else null. */
  public static Path confDir() {
    String env = System.getProperty("ilp.conf.dir", System.getenv("ILP_CONF_DIR"));
    if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
      return Path.of(env);
    }
    for (Path p : new Path[] {Path.of("conf"), Path.of("../conf")}) {
      if (Files.isRegularFile(p.resolve("application.conf"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  private static InputStream openRaw(String relative) throws IOException {
    Path dir = confDir();
    if (dir != null && Files.isRegularFile(dir.resolve(relative))) {
      return Files.newInputStream(dir.resolve(relative));
    }
    InputStream in = ConfFiles.class.getClassLoader().getResourceAsStream("conf/" + relative);
    if (in == null) {
      throw new IOException("not found in " + (dir == null ? "(no conf dir)" : dir) + " nor on the classpath");
    }
    return in;
  }

  /** SHA-256 (hex) of a file given by path, or of a file under conf/ given by its relative name. */
  public static String sha256(String pathOrRelative) {
    try (InputStream in = Files.isRegularFile(Path.of(pathOrRelative)) ? Files.newInputStream(Path.of(pathOrRelative))
        : openRaw(pathOrRelative)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      md.update(in.readAllBytes());
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + pathOrRelative + ": " + e.getMessage(), e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
