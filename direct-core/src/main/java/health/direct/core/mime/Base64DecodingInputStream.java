package health.direct.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Decodes a MIME base64 body (RFC 2045 6.8) as a stream, in bulk: reads a large block of text,
 * drops line breaks and anything outside the alphabet, and decodes whole 4-character groups with
 * {@link Base64.Decoder}. The JDK's own {@code Base64.getMimeDecoder().wrap(in)} reads its input
 * one byte at a time, which made decoding the largest single cost of opening a message.
 */
public final class Base64DecodingInputStream extends InputStream {
  private static final byte DATA = 0;
  private static final byte SKIP = 1;
  private static final byte PAD = 2;
  private static final byte[] CLASS = new byte[256];

  static {
    java.util.Arrays.fill(CLASS, SKIP); // line breaks, white space and stray characters are ignored (RFC 2045)
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
  private byte[] out = new byte[0];
  private int outPos;
  private int outLen;
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

  @Override
  public int read() throws IOException {
    if (outPos == outLen && !fill()) {
      return -1;
    }
    return out[outPos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (outPos == outLen && !fill()) {
      return -1;
    }
    int n = Math.min(len, outLen - outPos);
    System.arraycopy(out, outPos, b, off, n);
    outPos += n;
    return n;
  }

  @Override
  public int available() {
    return outLen - outPos;
  }

  /** Decodes the next block; false at the end of the data. */
  private boolean fill() throws IOException {
    while (!done) {
      int n = in.read(raw);
      int k = carryLen;
      System.arraycopy(carry, 0, clean, 0, carryLen);
      if (n < 0) {
        done = true;
        if (k == 1) {
          throw new IOException("base64 data ends in the middle of a group");
        }
        while (k % 4 != 0) {
          clean[k++] = '=';
        }
        return decode(k);
      }
      int padAt = -1;
      int i = 0;
      while (i < n) {
        // copy a run of alphabet characters (a whole line, usually) at once
        int run = i;
        while (i < n && CLASS[raw[i] & 0xff] == DATA) {
          i++;
        }
        System.arraycopy(raw, run, clean, k, i - run);
        k += i - run;
        if (i < n && CLASS[raw[i] & 0xff] == PAD) {
          padAt = k;
          break;
        }
        i++;
      }
      if (padAt >= 0) {
        // '=' ends the data: complete the last group and ignore whatever follows
        done = true;
        if (k % 4 == 1) {
          throw new IOException("base64 padding after a single character");
        }
        while (k % 4 != 0) {
          clean[k++] = '=';
        }
        return decode(k);
      }
      int usable = k - k % 4;
      carryLen = k - usable;
      System.arraycopy(clean, usable, carry, 0, carryLen);
      if (usable > 0) {
        return decode(usable);
      }
    }
    return false;
  }

  private boolean decode(int len) throws IOException {
    if (len == 0) {
      return false;
    }
    try {
      // the result wraps an array of its own: use it in place rather than copy it
      ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(clean, 0, len));
      out = decoded.array();
      outPos = decoded.arrayOffset() + decoded.position();
      outLen = outPos + decoded.remaining();
      return outLen > outPos || fill();
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid base64: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
