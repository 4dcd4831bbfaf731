package health.direct.core.smime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Lets an inner encoder be closed (flushing its trailer) without closing the stream under it. */
final class NonClosingOutputStream extends FilterOutputStream {
  NonClosingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
