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
  private static final byte[] CRLF = {'\r', '\n'};

  public CrlfOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] src, int off, int len) throws IOException {
    // copy runs between line ends straight through; touch only bare LF and bare CR
    int run = off;
    int stop = off + len;
    for (int i = off; i < stop; i++) {
      byte b = src[i];
      if (b == '\n') {
        if (!lastWasCr) {
          out.write(src, run, i - run);
          out.write(CRLF);
          run = i + 1;
        }
        lastWasCr = false;
      } else {
        if (lastWasCr) {
          out.write(src, run, i - run);
          out.write('\n');
          run = i;
        }
        lastWasCr = b == '\r';
      }
    }
    out.write(src, run, stop - run);
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
