package health.direct.core.mime;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;

/**
 * Encodes to MIME base64 (76-character lines, CRLF) as a stream, in blocks: collects whole lines'
 * worth of input and encodes each block with {@link Base64.Encoder} in one call. The JDK's
 * {@code Base64.getMimeEncoder().wrap(out)} writes every line separately, which made encoding
 * the largest single cost of sealing a large message. {@link #close()} writes the last line and
 * flushes, but does not close the stream below.
 */
public final class Base64EncodingOutputStream extends OutputStream {
  private static final int LINE_BYTES = 57; // 76 base64 characters
  private static final byte[] CRLF = {'\r', '\n'};
  private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(76, CRLF);

  private final OutputStream out;
  private final byte[] block;
  private int filled;
  private boolean wroteAny;
  private boolean closed;

  public Base64EncodingOutputStream(OutputStream out) {
    this(out, LINE_BYTES * 1024);
  }

  /** @param bufferBytes about how much input to collect per block (rounded to whole lines, 16 to 1024 of them) */
  public Base64EncodingOutputStream(OutputStream out, int bufferBytes) {
    this.out = out;
    this.block = new byte[LINE_BYTES * Math.max(16, Math.min(1024, bufferBytes / LINE_BYTES))];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, block.length - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == block.length) {
        emit(block.length);
      }
    }
  }

  private void emit(int n) throws IOException {
    if (n == 0) {
      return;
    }
    if (wroteAny) {
      out.write(CRLF); // the encoder puts breaks between lines, not after the last of a block
    }
    byte[] src = n == block.length ? block : java.util.Arrays.copyOf(block, n);
    out.write(ENCODER.encode(src));
    wroteAny = true;
    filled = 0;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      emit(filled);
      out.flush();
    }
  }
}
