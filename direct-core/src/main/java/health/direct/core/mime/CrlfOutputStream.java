package health.direct.core.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Canonicalises line ends to CRLF on the way through (SM-01): a bare LF or a bare CR becomes CRLF;
 * an existing CRLF passes unchanged. Does not close the stream below.
 */
public final class CrlfOutputStream extends FilterOutputStream {
  private boolean lastWasCr;
  private final byte[] buf = new byte[16 * 1024];

  public CrlfOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] src, int off, int len) throws IOException {
    int n = 0;
    for (int i = off; i < off + len; i++) {
      byte b = src[i];
      if (n >= buf.length - 2) {
        out.write(buf, 0, n);
        n = 0;
      }
      if (b == '\n') {
        if (!lastWasCr) {
          buf[n++] = '\r';
        }
        buf[n++] = '\n';
        lastWasCr = false;
      } else {
        if (lastWasCr) {
          buf[n++] = '\n';
        }
        if (b == '\r') {
          buf[n++] = '\r';
          lastWasCr = true;
        } else {
          buf[n++] = b;
          lastWasCr = false;
        }
      }
    }
    out.write(buf, 0, n);
  }

  /** Completes a trailing bare CR. */
  public void finish() throws IOException {
    if (lastWasCr) {
      out.write('\n');
      lastWasCr = false;
    }
  }

  @Override
  public void close() throws IOException {
    finish();
    out.flush();
  }
}
