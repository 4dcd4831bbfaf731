package health.direct.core.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * Passes everything on to {@code out} and tells {@code seen} the bytes written so far, each time
 * another {@code every} bytes have gone by: progress for large messages without a report per write.
 *
 * <pre>{@code
 * OutputStream o = new CountingOutputStream(file, 1 << 20, bytes -> progress.show(bytes));
 * }</pre>
 */
public final class CountingOutputStream extends FilterOutputStream {
  private final long every;
  private final LongConsumer seen;
  private long bytes;
  private long shown;

  public CountingOutputStream(OutputStream out, long every, LongConsumer seen) {
    super(out);
    this.every = every;
    this.seen = seen;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    count(1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    count(len);
  }

  /** Bytes written so far. */
  public long count() {
    return bytes;
  }

  private void count(int n) {
    bytes += n;
    if (bytes - shown >= every) {
      shown = bytes;
      seen.accept(bytes);
    }
  }
}
