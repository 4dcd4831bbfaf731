package health.direct.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that a crash leaves either the old or the new content (temp file, fsync, atomic
 * rename), with owner-only permissions for anything secret.
 */
public final class SecureFiles {
  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /** Creates the directory (and parents) and makes it owner-only. */
  public static Path privateDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      setPermissions(dir, OWNER_RWX);
      return dir;
    } catch (IOException e) {
      throw new StoreException("cannot create directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Atomically replaces {@code target} with {@code data}; the file is owner-only read/write. */
  public static void writeAtomically(Path target, byte[] data) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      setPermissions(tmp, OWNER_RW);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(data));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw new StoreException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing more to do
        }
      }
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // not every file system allows opening a directory; the rename itself is still atomic
    }
  }

  private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, perms);
    } catch (UnsupportedOperationException e) {
      // non-POSIX file system: rely on the directory's ACLs
    }
  }

  /** True when group and others have no access (always true where POSIX permissions do not exist). */
  public static boolean isOwnerOnly(Path p) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      return perms.stream().allMatch(x -> x.name().startsWith("OWNER"));
    } catch (UnsupportedOperationException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
