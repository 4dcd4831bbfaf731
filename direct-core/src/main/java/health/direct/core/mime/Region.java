package health.direct.core.mime;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A byte range of a stored message, in a file or in memory, read as a stream: the bytes exactly
 * as received, never re-serialised. Offsets are absolute within the backing file or array, so a
 * {@link #slice} of a slice still names positions the parser found.
 *
 * <pre>{@code
 * Region whole = Region.of(Path.of("sealed.eml"));
 * try (InputStream body = whole.slice(bodyStart, whole.end()).open()) { ... }
 * }</pre>
 */
public final class Region {
  private static final int MAX_BUFFER = 64 * 1024;

  private final Path file;
  private final byte[] bytes;
  private final long start;
  private final long end;

  private Region(Path file, byte[] bytes, long start, long end) {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad region " + start + ".." + end);
    }
    this.file = file;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
  }

  /** The whole file. */
  public static Region of(Path file) {
    try {
      return new Region(file, null, 0, Files.size(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole array (not copied: the caller hands it over). */
  public static Region of(byte[] bytes) {
    return new Region(null, bytes, 0, bytes.length);
  }

  /** The same backing bytes from {@code from} to {@code to} (absolute offsets within this region). */
  public Region slice(long from, long to) {
    if (from < start || to > end || to < from) {
      throw new IllegalArgumentException("slice " + from + ".." + to + " outside " + start + ".." + end);
    }
    return new Region(file, bytes, from, to);
  }

  public long start() {
    return start;
  }

  public long end() {
    return end;
  }

  public long length() {
    return end - start;
  }

  public InputStream open() throws IOException {
    if (bytes != null) {
      return new ByteArrayInputStream(bytes, (int) start, (int) (end - start));
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    ch.position(start);
    InputStream raw = Channels.newInputStream(ch);
    return new BufferedInputStream(new InputStream() {
      private long remaining = end - start;

      @Override
      public int read() throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int b = raw.read();
        if (b >= 0) {
          remaining--;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = raw.read(b, off, (int) Math.min(len, remaining));
        if (n > 0) {
          remaining -= n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        raw.close();
      }
    }, (int) Math.max(512, Math.min(MAX_BUFFER, end - start)));
  }

  @Override
  public String toString() {
    return (file != null ? file.toString() : "memory") + "[" + start + ".." + end + "]";
  }
}
