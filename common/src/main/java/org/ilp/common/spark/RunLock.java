package org.ilp.common.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pipeline run at a time per warehouse: an exclusive OS file lock on
 * {@code <warehouse>/_logs/run.lock}, held from before the SparkSession starts until the run ends.
 * A second run on the same warehouse is refused at once ({@link Busy}, exit code {@link #EXIT_BUSY})
 * with a message naming the holder (pid, host, start time, command), which the holder writes into the
 * file. Refused, never queued: a scheduled run that finds the previous one still going skips its turn,
 * and the next one picks up whatever landed meanwhile ({@code ilp run} is idempotent).
 *
 * <p>The lock is the operating system's ({@link FileChannel#tryLock()}: {@code fcntl} on Linux), so it
 * dies with its process: a killed run leaves no stale lock behind, only the file with its last
 * holder's line. It works across JVMs on one machine and on file systems that honour POSIX locks (a
 * local disk; NFS with lockd); the warehouse of a Spark cluster is then a path every node mounts, and
 * only the driver, where the run starts, takes the lock. Within one JVM the OS lock cannot tell two
 * holders apart, so the paths this JVM holds are also kept in a set, and a second acquire here is
 * refused the same way.
 */
public final class RunLock implements AutoCloseable {
  /** Exit code of a command refused because another run holds the warehouse (0 ok, 1 failure, 2 usage). */
  public static final int EXIT_BUSY = 3;

  /** Lock files held by this JVM (the OS lock is per process). */
  private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of a warehouse. */
  public static Path file(Path warehouse) {
    return warehouse.toAbsolutePath().normalize().resolve("_logs").resolve("run.lock");
  }

  /**
   * Takes the warehouse's run lock, or fails at once.
   *
   * @param command what the holder is doing, written into the file for whoever is refused (e.g. "ilp run")
   * @throws Busy when another run (in this JVM or another) holds it
   */
  public static RunLock acquire(Path warehouse, String command) {
    Path file = file(warehouse);
    String holder = holderLine(command);
    if (HELD_HERE.putIfAbsent(file, holder) != null) {
      throw new Busy(file, HELD_HERE.getOrDefault(file, readHolder(file)));
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held in this JVM outside this class: still someone else's
      }
      if (lock == null) {
        channel.close();
        throw new Busy(file, readHolder(file));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new RunLock(file, channel, lock);
    } catch (IOException e) {
      HELD_HERE.remove(file);
      closeQuietly(channel);
      throw new UncheckedIOException("Cannot take the run lock " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      HELD_HERE.remove(file);
      closeQuietly(channel);
      throw e;
    }
  }

  /** The line the current holder wrote, or a note when there is none. */
  static String readHolder(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? "a process that has not written its details yet" : s;
    } catch (IOException e) {
      return "unknown holder (" + e.getMessage() + ")";
    }
  }

  private static String holderLine(String command) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    return String.format("pid %d on %s since %s (%s, user %s)", ProcessHandle.current().pid(), host,
        Instant.now().truncatedTo(ChronoUnit.SECONDS), command, System.getProperty("user.name"));
  }

  public Path file() {
    return file;
  }

  /** Releases the lock; the file stays, with the last holder's line. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // closing the channel below releases it too
    } finally {
      closeQuietly(channel);
      HELD_HERE.remove(file);
    }
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** Another run holds the warehouse. */
  public static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String holder;

    Busy(Path file, String holder) {
      super("the warehouse " + file.getParent().getParent() + " is in use by another run: " + holder
          + ". Runs on one warehouse never overlap; try again when it has finished (lock file " + file + ")");
      this.holder = holder;
    }

    /** The holder's line: pid, host, start time, command. */
    public String holder() {
      return holder;
    }
  }
}
