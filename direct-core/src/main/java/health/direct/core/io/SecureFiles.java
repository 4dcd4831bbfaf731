package health.direct.core.io;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Writes files so that a crash or an error leaves either the old content or the new, never a
 * part (owner-only temporary file in the same folder, fsync, atomic rename), and creates the
 * owner-only folders and scratch files that hold keys and decrypted content.
 *
 * <pre>{@code
 * SecureFiles.writeAtomically(Path.of("plain.eml"), out -> message.writePlainMessage(out));
 * }</pre>
 */
public final class SecureFiles {
  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /** Produces a file's content. */
  @FunctionalInterface
  public interface ContentWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Creates the directory (and parents) and makes it owner-only. */
  public static Path privateDirectory(Path dir) {
    try {
      // every folder created on the way is owner-only too, not only the last (whatever the umask)
      java.util.Deque<Path> missing = new java.util.ArrayDeque<>();
      for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
        missing.push(p);
      }
      Files.createDirectories(dir);
      for (Path p : missing) {
        setPermissions(p, OWNER_RWX);
      }
      setPermissions(dir, OWNER_RWX);
      return dir;
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot create directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code file}, created empty and owner-only if it does not exist (made so from the start, so no
   * umask lets anyone else open it meanwhile); an existing one is made owner-only. For files that
   * other code opens by name: lock files, a database.
   */
  public static Path privateFile(Path file) {
    try {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_RW));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // kept as it is, made owner-only below
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      setPermissions(file, OWNER_RW);
      return file;
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  /** Makes {@code file} owner-only if it exists (files a library created beside ours). */
  public static void ownerOnlyIfPresent(Path file) {
    try {
      if (Files.exists(file)) {
        setPermissions(file, OWNER_RW);
      }
    } catch (IOException e) {
      // it went away meanwhile
    }
  }

  /**
   * A new empty owner-only file in {@code dir}; the caller deletes it. A missing {@code dir} is
   * created owner-only; an existing one keeps its permissions.
   */
  public static Path privateTempFile(Path dir, String prefix) {
    try {
      if (!Files.isDirectory(dir)) {
        privateDirectory(dir);
      }
      // the process's id in the name: what a killed process left behind can be told from what a live one uses
      Path p = Files.createTempFile(dir, prefix + "." + PID + ".", ".tmp");
      setPermissions(p, OWNER_RW);
      return p;
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot create a temporary file in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Atomically replaces {@code target} with {@code data}; owner-only read/write. */
  public static void writeAtomically(Path target, byte[] data) {
    writeAtomically(target, out -> out.write(data));
  }

  /**
   * Atomically replaces {@code target} with what {@code writer} produces; owner-only read/write.
   * If the writer throws, the target is untouched and the temporary file is removed.
   */
  public static void writeAtomically(Path target, ContentWriter writer) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = privateTempFile(dir, "." + target.getFileName());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
        writer.writeTo(out);
        out.flush();
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
      throw new DirectException(Problem.IO, "cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  /**
   * Puts {@code source}'s content at {@code target} (replacing it), durably and owner-only, without
   * copying the bytes when it can: a hard link, which stored files can share because nothing
   * rewrites them in place. On a file system without links, or across devices, it copies.
   */
  public static void linkOrCopy(Path source, Path target) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
        ch.force(true); // the content is durable before any name points to it
      }
      Files.deleteIfExists(target);
      Files.createLink(target, source);
      setPermissions(target, OWNER_RW);
      fsyncDirectory(dir);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      writeAtomically(target, out -> Files.copy(source, out));
    }
  }

  private static final long PID = ProcessHandle.current().pid();
  private static final java.util.regex.Pattern TEMP_NAME = java.util.regex.Pattern.compile(".*\\.(\\d+)\\.\\d+\\.tmp$");

  /**
   * Deletes the scratch files in {@code dir} that a process which is no longer running left there
   * (killed, or crashed, in the middle of a command): they can hold plaintext. A file whose name
   * carries no process id is deleted once it is older than a day: {@code dir} holds scratch only.
   * Returns how many went.
   */
  public static int sweepLeftovers(Path dir) {
    return sweepLeftovers(dir, Optional.of(java.time.Duration.ofDays(1)));
  }

  /**
   * As {@link #sweepLeftovers(Path)}; files without a process id in their name are deleted when
   * older than {@code unnamedAfter}, and kept when it is empty (a folder that holds real files too).
   */
  public static int sweepLeftovers(Path dir, Optional<java.time.Duration> unnamedAfter) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    java.time.Instant dayAgo = unnamedAfter.map(d -> java.time.Instant.now().minus(d)).orElse(java.time.Instant.MIN);
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        java.util.regex.Matcher m = TEMP_NAME.matcher(f.getFileName().toString());
        boolean orphan;
        if (m.matches()) {
          long pid = Long.parseLong(m.group(1));
          orphan = pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } else {
          orphan = unnamedAfter.isPresent() && Files.getLastModifiedTime(f).toInstant().isBefore(dayAgo);
        }
        if (orphan && Files.deleteIfExists(f)) {
          n++;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // a sweep that cannot finish leaves the rest for the next one
    }
    return n;
  }

  /** Deletes if present; a failure is ignored (scratch files live in owner-only folders). */
  public static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  /** Deletes a folder and everything in it; failures are ignored (used for scratch and staging folders). */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(SecureFiles::deleteQuietly);
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  /** Makes a rename or a new file in {@code dir} durable (fsync of the folder itself). */
  public static void fsyncDirectory(Path dir) {
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
}
