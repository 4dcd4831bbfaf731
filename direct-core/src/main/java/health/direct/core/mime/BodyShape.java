package health.direct.core.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * What one pass over a message body finds: whether it has 8-bit bytes (the wrapper must then
 * declare {@code 8bit}) and whether every line already ends in CRLF (then it is canonical for
 * signing, SM-01, and is copied as is rather than through a converter).
 *
 * <pre>{@code
 * BodyShape shape = BodyShape.of(body);
 * if (!shape.crlfOnly()) { ... canonicalise ... }
 * }</pre>
 */
public record BodyShape(boolean eightBit, boolean crlfOnly) {

  /** Reads the whole region once. */
  public static BodyShape of(Region body) throws IOException {
    Scanner s = new Scanner();
    try (InputStream in = body.open()) {
      byte[] buf = new byte[(int) Math.max(256, Math.min(64 * 1024, body.length()))];
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        s.update(buf, 0, n);
      }
    }
    return s.result();
  }

  /** The same for bytes in memory. */
  public static BodyShape of(byte[] body, int from, int to) {
    Scanner s = new Scanner();
    s.update(body, from, to);
    return s.result();
  }

  /** Carries the state across buffers: a CR at the end of one must be followed by an LF in the next. */
  private static final class Scanner {
    private boolean eightBit;
    private boolean crlfOnly = true;
    private byte prev;

    void update(byte[] buf, int from, int to) {
      int i = from;
      // whole words with no CR or LF (most of a body) need only the 8-bit test
      for (; i + 8 <= to; i += 8) {
        long w = ByteScan.word(buf, i);
        eightBit |= ByteScan.hasHighBit(w);
        if (prev == '\r' || ByteScan.hasLineBreak(w)) {
          bytes(buf, i, i + 8);
        } else {
          prev = buf[i + 7];
        }
      }
      bytes(buf, i, to);
    }

    private void bytes(byte[] buf, int from, int to) {
      for (int i = from; i < to; i++) {
        byte b = buf[i];
        if (b < 0) {
          eightBit = true;
        } else if (b == '\n') {
          crlfOnly &= prev == '\r';
        } else if (prev == '\r') {
          crlfOnly = false; // a CR not followed by LF
        }
        prev = b;
      }
    }

    BodyShape result() {
      return new BodyShape(eightBit, crlfOnly && prev != '\r');
    }
  }
}
