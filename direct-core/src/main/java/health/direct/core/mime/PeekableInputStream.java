package health.direct.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered stream without locking that can show its first bytes before they are read. Bouncy
 * Castle's BER parser reads indefinite-length content one byte at a time
 * ({@code IndefiniteLengthInputStream} falls back to {@code InputStream.read()} while it watches
 * for end-of-contents octets); {@code BufferedInputStream.read()} takes a lock on each of them.
 */
public final class PeekableInputStream extends InputStream {
  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int len;

  public PeekableInputStream(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[Math.max(bufferSize, 256)];
  }

  /** Up to {@code n} upcoming bytes (fewer only at the end of the data), without consuming them. */
  public byte[] peek(int n) throws IOException {
    if (len - pos < n) {
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
      pos = 0;
      int r;
      while (len < n && (r = in.read(buf, len, buf.length - len)) > 0) {
        len += r;
      }
    }
    return Arrays.copyOfRange(buf, pos, Math.min(len, pos + n));
  }

  @Override
  public int read() throws IOException {
    if (pos == len && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int n) throws IOException {
    if (n == 0) {
      return 0;
    }
    if (pos == len) {
      if (n >= buf.length) {
        return in.read(b, off, n); // large reads bypass the buffer
      }
      if (!fill()) {
        return -1;
      }
    }
    int k = Math.min(n, len - pos);
    System.arraycopy(buf, pos, b, off, k);
    pos += k;
    return k;
  }

  private boolean fill() throws IOException {
    pos = 0;
    len = 0;
    int r = in.read(buf, 0, buf.length);
    if (r <= 0) {
      return false;
    }
    len = r;
    return true;
  }

  @Override
  public int available() {
    return len - pos;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
