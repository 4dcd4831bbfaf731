package health.direct.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Decodes a MIME base64 body (RFC 2045 6.8) as a stream, in bulk. Each block of text has its line
 * breaks cut out and goes whole to the JDK's basic decoder, which on current x86 JVMs is a vector
 * intrinsic several times faster than any byte loop (the JDK's MIME decoder is not, and its
 * {@code wrap(in)} reads one byte at a time). Text the basic decoder refuses (white space, stray
 * characters, text after the padding, all of which RFC 2045 says to ignore) goes through a
 * slower path that drops every character outside the alphabet first.
 *
 * <pre>{@code
 * try (InputStream plain = new Base64DecodingInputStream(encodedBody)) { plain.transferTo(out); }
 * }</pre>
 */
public final class Base64DecodingInputStream extends BlockInputStream {
  private static final byte DATA = 0;
  private static final byte SKIP = 1;
  private static final byte PAD = 2;
  private static final byte[] CLASS = new byte[256];
  private static final Base64.Decoder BASIC = Base64.getDecoder();

  static {
    Arrays.fill(CLASS, SKIP); // line breaks, white space and stray characters are ignored (RFC 2045)
    for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray()) {
      CLASS[c] = DATA;
    }
    CLASS['='] = PAD;
  }

  private final InputStream in;
  private final byte[] raw;
  private final byte[] clean;
  private final byte[] carry = new byte[4];
  private int carryLen;
  private int lineGuess;   // the length of the last full line: most encoders use one length throughout
  private boolean done;

  public Base64DecodingInputStream(InputStream in) {
    this(in, 64 * 1024);
  }

  /** @param expectedLength the encoded length if known, to keep buffers small for small bodies */
  public Base64DecodingInputStream(InputStream in, long expectedLength) {
    this.in = in;
    this.raw = new byte[(int) Math.max(256, Math.min(64 * 1024, expectedLength))];
    this.clean = new byte[raw.length + 4];
  }

  /** Decodes the next block; false at the end of the data. */
  @Override
  protected boolean nextBlock() throws IOException {
    while (!done) {
      int n = in.read(raw);
      int k = carryLen;
      System.arraycopy(carry, 0, clean, 0, k);
      carryLen = 0;
      if (n < 0) {
        done = true;
        return decodeAnyText(k, true);
      }
      k = cutLineBreaks(n, k);
      int usable = k - k % 4;
      if (usable == 0) {
        keep(k, 0);
        continue;
      }
      Optional<ByteBuffer> plain = decodePlainGroups(usable);
      if (plain.isEmpty()) {
        if (decodeAnyText(k, false)) {
          return true;
        }
        continue;
      }
      if (clean[usable - 1] == '=') {
        done = true; // the padding ends the data
      } else {
        keep(k, usable);
      }
      if (use(plain.get())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Copies {@code raw[0, n)} to {@code clean} from {@code k} on without CR and LF; returns the new
   * length. It checks first whether a line break sits where the last line's length predicts, and
   * searches only when it does not; a line break it misses leaves a CR or LF in the text, which
   * the basic decoder then refuses, so a wrong guess costs speed, never correctness.
   */
  private int cutLineBreaks(int n, int k) {
    int i = 0;
    while (i < n) {
      byte b = raw[i];
      if (b == '\r' || b == '\n') {
        i++;
        continue;
      }
      int end = i + lineGuess;
      if (lineGuess == 0 || end >= n || (raw[end] != '\r' && raw[end] != '\n')) {
        end = ByteScan.indexOfLineBreak(raw, i, n);
        if (end < 0) {
          end = n;
        } else {
          lineGuess = end - i;
        }
      }
      System.arraycopy(raw, i, clean, k, end - i);
      k += end - i;
      i = end;
    }
    return k;
  }

  /**
   * The fast path: {@code clean[0, usable)} through the basic decoder; empty when it refuses the
   * text (white space, a stray character or text after the padding), which then goes to
   * {@link #decodeAnyText}.
   */
  private Optional<ByteBuffer> decodePlainGroups(int usable) {
    try {
      return Optional.of(BASIC.decode(ByteBuffer.wrap(clean, 0, usable)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The general path: drops every character outside the alphabet from {@code clean[0, k)}, stops
   * at '=', and decodes whole groups (all of them, padded, at the end of the data).
   */
  private boolean decodeAnyText(int k, boolean end) throws IOException {
    int w = 0;
    boolean padded = false;
    for (int i = 0; i < k; i++) {
      byte c = CLASS[clean[i] & 0xff];
      if (c == DATA) {
        clean[w++] = clean[i];
      } else if (c == PAD) {
        padded = true;
        break;
      }
    }
    if (padded || end) {
      done = true;
      if (w % 4 == 1) {
        throw new MalformedEncodingException(padded ? "it is not valid base64: padding after a single character"
            : "it is not valid base64: the data ends in the middle of a 4-character group");
      }
      while (w % 4 != 0) {
        clean[w++] = '=';
      }
      return w > 0 && decodeGroups(w);
    }
    int usable = w - w % 4;
    keep(w, usable);
    return usable > 0 && decodeGroups(usable);
  }

  private boolean decodeGroups(int len) throws IOException {
    try {
      return use(BASIC.decode(ByteBuffer.wrap(clean, 0, len)));
    } catch (IllegalArgumentException e) {
      throw new MalformedEncodingException("it is not valid base64: " + e.getMessage(), e);
    }
  }

  /** Carries {@code clean[usable, k)}, an unfinished group, over to the next block. */
  private void keep(int k, int usable) {
    carryLen = k - usable;
    System.arraycopy(clean, usable, carry, 0, carryLen);
  }

  /** Serves the decoded bytes in place (the result wraps an array of its own). */
  private boolean use(ByteBuffer decoded) {
    int from = decoded.arrayOffset() + decoded.position();
    serve(decoded.array(), from, from + decoded.remaining());
    return decoded.hasRemaining();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
