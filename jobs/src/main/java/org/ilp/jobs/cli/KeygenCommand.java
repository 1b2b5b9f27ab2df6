package org.ilp.jobs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Makes a pseudonymisation key file: 32 random bytes as 64 hex digits, created readable by its owner only (0600)
 * in one step, so that no other user can read it in between. Never overwrites: rotating the key changes every
 * pseudonym, which must be a decision, not an accident.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Write a new pseudonymisation key (256 random bits, hex) to FILE, mode 0600; refuses to overwrite.",
        "Point ilp.secrets.pseudonym-key-file at it (or export ILP_PSEUDONYM_KEY). Prints the file's path."})
final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The key file to create.")
  Path out;

  /** Creates {@code out} (mode 0600, never overwritten) holding 256 random bits as hex. */
  static void write(Path out) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(out, HexFormat.of().formatHex(key) + "\n", StandardCharsets.UTF_8);
  }

  @Override
  public Integer call() {
    try {
      write(out);
    } catch (FileAlreadyExistsException e) {
      System.err.println("ilp keygen: " + out + " exists; a new key would change every pseudonym (remove it first "
          + "if that is what you want)");
      return 2;
    } catch (IOException e) {
      System.err.println("ilp keygen: cannot write " + out + ": " + e.getMessage());
      return 1;
    }
    System.out.println(out.toAbsolutePath());
    return 0;
  }
}
