package health.direct.core.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that hands out bytes from blocks a subclass produces one at a time (decoded
 * base64, decrypted content), without locking and without copying a block before it is read.
 *
 * <pre>{@code
 * class Ones extends BlockInputStream {
 *   protected boolean nextBlock() { serve(new byte[] {1, 1}, 0, 2); return true; }
 * }
 * }</pre>
 */
public abstract class BlockInputStream extends InputStream {
  private byte[] block = new byte[0];
  private int pos;
  private int lim;

  /**
   * Produces the next block and hands it over with {@link #serve}; false at the end of the data.
   * An empty block is allowed: reading simply asks for the next one.
   */
  protected abstract boolean nextBlock() throws IOException;

  /** Makes {@code bytes[from, to)} the bytes to read next; the array is read in place, not copied. */
  protected final void serve(byte[] bytes, int from, int to) {
    this.block = bytes;
    this.pos = from;
    this.lim = to;
  }

  @Override
  public int read() throws IOException {
    while (pos == lim) {
      if (!nextBlock()) {
        return -1;
      }
    }
    return block[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos == lim) {
      if (!nextBlock()) {
        return -1;
      }
    }
    int n = Math.min(len, lim - pos);
    System.arraycopy(block, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return lim - pos;
  }
}
