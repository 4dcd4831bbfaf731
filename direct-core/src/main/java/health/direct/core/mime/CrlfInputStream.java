package health.direct.core.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads with bare LF turned into CRLF: the canonical form a signature over text was computed on
 * when a store or relay converted line ends after signing.
 */
public final class CrlfInputStream extends FilterInputStream {
  private int pending = -1;
  private int last = -1;

  public CrlfInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    if (pending >= 0) {
      int p = pending;
      pending = -1;
      last = p;
      return p;
    }
    int b = in.read();
    if (b == '\n' && last != '\r') {
      pending = '\n';
      last = '\r';
      return '\r';
    }
    last = b;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    while (n < len) {
      int c = read();
      if (c < 0) {
        return n == 0 ? -1 : n;
      }
      b[off + n++] = (byte) c;
    }
    return n;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
