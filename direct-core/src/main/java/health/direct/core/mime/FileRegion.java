package health.direct.core.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A byte range of a file, read as a stream: the bytes exactly as received, never re-serialised. */
public record FileRegion(Path file, long start, long end) {

  public FileRegion {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad region " + start + ".." + end);
    }
  }

  public long length() {
    return end - start;
  }

  public InputStream open() throws IOException {
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
    }, (int) Math.max(512, Math.min(64 * 1024, end - start)));
  }
}
