package org.ilp.common.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.ilp.common.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The fork-free local file system answers as Hadoop's own does, and the session uses it for file: paths. */
@ExtendWith(SparkTestSupport.class)
class LocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  static FileSystem ours() throws Exception {
    FileSystem fs = new LocalFileSystem.Raw();
    fs.initialize(java.net.URI.create("file:///"), new Configuration());
    return fs;
  }

  static FileSystem hadoops() throws Exception {
    FileSystem fs = new RawLocalFileSystem();
    fs.initialize(java.net.URI.create("file:///"), new Configuration());
    return fs;
  }

  static String describe(FileStatus s) {
    return s.getPath().getName() + " " + s.getLen() + " " + s.isDirectory() + " " + s.isSymlink() + " "
        + s.getPermission() + " " + s.getOwner() + " " + s.getGroup() + " " + s.getModificationTime();
  }

  @Test
  void statusesPermissionsAndLinksAreHadoopsOwn() throws Exception {
    FileSystem ours = ours();
    FileSystem theirs = hadoops();
    Path base = new Path(dir.toUri());
    Path sub = new Path(base, "a/b");
    assertThat(ours.mkdirs(sub, new FsPermission((short) 0750))).isTrue();
    Path file = new Path(sub, "f.txt");
    try (var out = ours.create(file, new FsPermission((short) 0640), true, 4096, (short) 1, 1 << 20, null)) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b/f.txt"))))
        .isEqualTo(PosixFilePermissions.toString(LocalFileSystem.posix((short) (0640 & ~umask()))));
    ours.setPermission(file, new FsPermission((short) 0604));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b/f.txt")))).isEqualTo("rw----r--");
    Files.createSymbolicLink(dir.resolve("a/link"), dir.resolve("a/b/f.txt"));

    for (Path p : new Path[] {file, sub, new Path(base, "a/link")}) {
      assertThat(describe(ours.getFileStatus(p))).isEqualTo(describe(theirs.getFileStatus(p)));
      assertThat(describe(ours.getFileLinkStatus(p))).isEqualTo(describe(theirs.getFileLinkStatus(p)));
    }
    // (Hadoop's own runs readlink on the path's URI form, "file:/...", so it never reports a link: neither does ours)
    Comparator<FileStatus> byName = Comparator.comparing(s -> s.getPath().getName());
    assertThat(Arrays.stream(ours.listStatus(new Path(base, "a"))).sorted(byName).map(LocalFileSystemTest::describe))
        .containsExactlyElementsOf(Arrays.stream(theirs.listStatus(new Path(base, "a"))).sorted(byName)
            .map(LocalFileSystemTest::describe).toList());
    assertThatThrownBy(() -> ours.getFileLinkStatus(new Path(base, "missing"))).isInstanceOf(FileNotFoundException.class);
    for (short mode : new short[] {0, 0644, 0755, 0777, 0421}) {
      assertThat(LocalFileSystem.bits(LocalFileSystem.posix(mode))).isEqualTo(mode);
    }
  }

  @Test
  void theSessionUsesItForBothHadoopApis() throws Exception {
    Configuration conf = SparkTestSupport.spark().sparkContext().hadoopConfiguration();
    assertThat(FileSystem.get(java.net.URI.create("file:///"), conf)).isInstanceOf(LocalFileSystem.class);
    // a Delta commit: create through FileContext, rename without overwrite (readlink before, in Hadoop's own)
    FileContext fc = FileContext.getFileContext(dir.toUri(), conf);
    assertThat(fc.getDefaultFileSystem()).isInstanceOf(LocalFileSystem.Fs.class);
    Path tmp = new Path(dir.resolve(".0.json.tmp").toUri());
    try (var out = fc.create(tmp, java.util.EnumSet.of(org.apache.hadoop.fs.CreateFlag.CREATE))) {
      out.write('x');
    }
    Path done = new Path(dir.resolve("0.json").toUri());
    fc.rename(tmp, done, Options.Rename.NONE);
    assertThat(Files.readString(dir.resolve("0.json"))).isEqualTo("x");
    assertThatThrownBy(() -> fc.rename(done, done, Options.Rename.NONE)).isInstanceOf(java.io.IOException.class);
  }

  /** The process's umask, as Hadoop applies it to a create's permission. */
  static short umask() {
    return FsPermission.getUMask(new Configuration()).toShort();
  }
}
