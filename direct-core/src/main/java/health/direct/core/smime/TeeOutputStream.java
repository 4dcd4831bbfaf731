package health.direct.core.smime;

import java.io.IOException;
import java.io.OutputStream;

/** Writes every byte to two streams: the envelope and the signature digest. Closes neither. */
final class TeeOutputStream extends OutputStream {
  private final OutputStream a;
  private final OutputStream b;

  TeeOutputStream(OutputStream a, OutputStream b) {
    this.a = a;
    this.b = b;
  }

  @Override
  public void write(int v) throws IOException {
    a.write(v);
    b.write(v);
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    a.write(buf, off, len);
    b.write(buf, off, len);
  }

  @Override
  public void flush() throws IOException {
    a.flush();
    b.flush();
  }
}
