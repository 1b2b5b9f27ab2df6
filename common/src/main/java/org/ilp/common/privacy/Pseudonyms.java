package org.ilp.common.privacy;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: {@code HMAC-SHA-256(key, namespace ‖ 0x00 ‖ value)} in hex (RFC 2104, FIPS 198-1). The same
 * identifier gives the same pseudonym in every table and run with one key; without the key a pseudonym can be
 * neither reversed nor recomputed from a guessed identifier (a plain hash of a name and birth date can be, by trying
 * them all). The namespace ({@code person}, {@code document}, ...) keeps a document number from sharing a pseudonym
 * with a person key that happens to be the same text.
 *
 * <p><b>The key</b> (at least 32 characters; {@code ./ilp keygen --out FILE} makes one) comes from, in this order:
 * the environment variable {@value #ENV} (read through {@code ilp.secrets.pseudonym-key}), or the file named by
 * {@code ilp.secrets.pseudonym-key-file}, which must be readable by its owner only (0600 or 0400). It is never in
 * the repository, the config dump ({@code IlpConfig.describe} masks {@code ilp.secrets.*}), a log line, an error
 * message or {@link #toString}. Rotating it changes every pseudonym: re-derive the tables that hold them.
 */
public final class Pseudonyms implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String ENV = "ILP_PSEUDONYM_KEY";
  static final int MIN_KEY_CHARS = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY = Set.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

  private final byte[] key;

  Pseudonyms(byte[] key) {
    this.key = key.clone();
  }

  /** The key of {@code ilp.secrets} (see the class comment); a clear error, without the key, when there is none. */
  /** Whether {@code secrets} (ilp.secrets) names a key, by value or by file (without reading it). */
  public static boolean configured(Config secrets) {
    return secrets.hasPath("pseudonym-key") || secrets.hasPath("pseudonym-key-file");
  }

  public static Pseudonyms fromConfig(Config secrets) {
    if (secrets.hasPath("pseudonym-key")) {
      return ofText(secrets.getString("pseudonym-key"), "the environment variable " + ENV);
    }
    if (secrets.hasPath("pseudonym-key-file")) {
      return fromFile(Path.of(secrets.getString("pseudonym-key-file")));
    }
    throw new IllegalStateException("no pseudonymisation key: set the environment variable " + ENV
        + " or ilp.secrets.pseudonym-key-file to a file readable by its owner only (make one with `./ilp keygen --out FILE`)");
  }

  /** The key in {@code file}: refused unless the file is a regular file readable by its owner only. */
  public static Pseudonyms fromFile(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException("pseudonymisation key file " + file + " is not a regular file");
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new IllegalStateException("pseudonymisation key file " + file + " is readable by others ("
            + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "): chmod 600 it");
      }
      return ofText(Files.readString(file, StandardCharsets.UTF_8).trim(), "the key file " + file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read pseudonymisation key file " + file + ": " + e.getClass().getSimpleName());
    }
  }

  static Pseudonyms ofText(String key, String where) {
    if (key == null || key.length() < MIN_KEY_CHARS) {
      throw new IllegalStateException("the pseudonymisation key from " + where + " is shorter than " + MIN_KEY_CHARS
          + " characters (make one with `./ilp keygen --out FILE`)");
    }
    return new Pseudonyms(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The pseudonym of {@code value} in {@code namespace}: 64 hex digits; null for null. */
  public String of(String namespace, String value) {
    if (value == null) {
      return null;
    }
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    byte[] msg = new byte[ns.length + 1 + v.length];
    System.arraycopy(ns, 0, msg, 0, ns.length);
    System.arraycopy(v, 0, msg, ns.length + 1, v.length);
    return HexFormat.of().formatHex(hmac(msg));
  }

  /**
   * A short fingerprint of the key (16 hex digits of its pseudonym of a fixed text): tells runs with another key
   * apart (their pseudonyms differ) and reveals nothing of the key.
   */
  public String fingerprint() {
    return of("key-fingerprint", "ilp-lakehouse").substring(0, 16);
  }

  /** HMAC-SHA-256 of raw bytes under the key. */
  byte[] hmac(byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Never the key. */
  @Override
  public String toString() {
    return "Pseudonyms[HMAC-SHA-256, key ****]";
  }
}
