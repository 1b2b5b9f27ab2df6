package org.ilp.common.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) without a process per file operation.
 *
 * <p>Without Hadoop's native library (which no Maven artifact carries, so never here) {@link RawLocalFileSystem}
 * shells out: {@code chmod} for every file and folder it creates (each Parquet part, each Delta commit), {@code readlink}
 * twice for every rename (each Delta commit, through {@code FileContext}), and {@code ls -ld} whenever a file's
 * permission is read (every file a recursive listing returns). Measured on the generated-warehouse test class: 2,379
 * processes forked in 208 s, each ~6 ms of the driver's or a task's time on this machine and more under load. The
 * same three operations are done here with {@code java.nio} calls: the same results, no fork. A symbolic link, a
 * sticky bit or a file system without POSIX attributes falls back to Hadoop's own code.
 *
 * <p>Installed by {@link SessionFactory} for the {@code file:} scheme, for both of Hadoop's file system APIs
 * ({@code fs.file.impl}, {@code fs.AbstractFileSystem.file.impl}); other schemes (HDFS, object stores) are untouched.
 */
public class LocalFileSystem extends org.apache.hadoop.fs.LocalFileSystem {
  public LocalFileSystem() {
    super(new Raw());
  }

  /** The raw (checksum-less) local file system with the three operations done in-process. */
  public static class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (permission.getStickyBit()) {
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission.toShort()));
      } catch (UnsupportedOperationException e) {
        super.setPermission(p, permission);
      }
    }

    /** A path that is not a symbolic link has its own status (Hadoop asks {@code readlink} to find that out). */
    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      return Files.isSymbolicLink(pathToFile(f).toPath()) ? super.getFileLinkStatus(f) : getFileStatus(f);
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return withPermission(super.getFileStatus(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      FileStatus[] all = super.listStatus(f);
      for (int i = 0; i < all.length; i++) {
        all[i] = withPermission(all[i]);
      }
      return all;
    }

    /**
     * The status with its permission, owner and group read now by one {@code stat} call (Hadoop's own status reads
     * them lazily, by running {@code ls -ld}).
     */
    private FileStatus withPermission(FileStatus s) {
      if (s.getClass() == FileStatus.class) {
        return s;
      }
      try {
        PosixFileAttributes a = Files.readAttributes(pathToFile(s.getPath()).toPath(), PosixFileAttributes.class);
        return new FileStatus(s.getLen(), s.isDirectory(), s.getReplication(), s.getBlockSize(),
            s.getModificationTime(), s.getAccessTime(), new FsPermission(bits(a.permissions())), a.owner().getName(),
            a.group().getName(), s.getPath());
      } catch (IOException | UnsupportedOperationException e) {
        return s; // gone meanwhile, or no POSIX attributes: Hadoop's lazy status
      }
    }
  }

  /** The same for Hadoop's {@code FileContext} API (Delta's commits rename through it). */
  public static class Fs extends ChecksumFs {
    public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(new Delegate(uri, conf));
    }
  }

  static class Delegate extends DelegateToFileSystem {
    Delegate(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new Raw(), conf, "file", false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }

    @Override
    @Deprecated
    public FsServerDefaults getServerDefaults() throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public FsServerDefaults getServerDefaults(Path f) throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public boolean isValidName(String src) {
      return true;
    }
  }

  private static final PosixFilePermission[] ORDER = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  /** Mode bits (e.g. 0755) as Java's permission set. */
  static Set<PosixFilePermission> posix(short mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < ORDER.length; i++) {
      if ((mode & (1 << i)) != 0) {
        out.add(ORDER[i]);
      }
    }
    return out;
  }

  /** Java's permission set as mode bits. */
  static short bits(Set<PosixFilePermission> perms) {
    short out = 0;
    for (int i = 0; i < ORDER.length; i++) {
      if (perms.contains(ORDER[i])) {
        out |= (short) (1 << i);
      }
    }
    return out;
  }
}
