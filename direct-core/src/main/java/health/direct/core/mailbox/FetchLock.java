package health.direct.core.mailbox;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.io.SecureFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One fetch per home at a time. Two fetches of one mailbox would each download the same messages,
 * store them under the same names and answer them twice; the second one waits here for the first
 * (up to {@code wait}), then says who holds the home.
 *
 * <pre>{@code
 * try (FetchLock lock = FetchLock.acquire(home.mail(), Duration.ofSeconds(60))) {
 *   fetcher.fetch(settings, receiver);
 * }
 * }</pre>
 */
public final class FetchLock implements AutoCloseable {
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private FetchLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the home's fetch lock, waiting up to {@code wait} for another fetch to finish.
   *
   * @throws DirectException {@link Problem#BUSY} naming the process that holds it
   */
  public static FetchLock acquire(Path mailRoot, Duration wait) {
    Path file = SecureFiles.privateFile(SecureFiles.privateDirectory(mailRoot).resolve(".fetch.lock"));
    ReentrantLock local = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      if (!local.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw busy(file, wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DirectException(Problem.BUSY, "interrupted while waiting for another fetch of this home", e);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      while ((l = ch.tryLock()) == null) {
        if (System.nanoTime() > deadline) {
          throw busy(file, wait);
        }
        Thread.sleep(100);
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n")
          .getBytes(StandardCharsets.US_ASCII)), 0);
      return new FetchLock(local, ch, l);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeQuietly(ch);
      local.unlock();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (e instanceof DirectException de) {
        throw de;
      }
      throw new DirectException(Problem.IO, "cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  private static DirectException busy(Path file, Duration wait) {
    String holder;
    try {
      holder = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      holder = "";
    }
    return new DirectException(Problem.BUSY, "another fetch of this home is running"
        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; waited " + wait.toSeconds() + " s for it to finish. "
        + "Try again when it is done; 'direct agent' fetches by itself, so a second fetch beside it is not needed");
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
    local.unlock();
  }
}
