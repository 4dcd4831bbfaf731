package health.direct.core.mime;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import jakarta.mail.internet.InternetHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds where things are in a stored MIME entity without loading it: the end of a header block,
 * and the delimiter lines of a multipart body (RFC 2046 5.1.1: the line break before a delimiter
 * belongs to the delimiter). Jakarta Mail parses the headers themselves; this only keeps offsets,
 * because a signature must be checked against the exact bytes received (SM-01).
 */
public final class MimeLayout {
  public static final int MAX_HEADER_BYTES = 256 * 1024;

  private MimeLayout() {}

  /** A parsed header block and the offset where the body starts. */
  public record Headers(InternetHeaders headers, long bodyStart) {}

  public static Headers readHeaders(Region region, String what) {
    try (InputStream in = region.open()) {
      // read only as far as the blank line, in small steps: most header blocks are a few hundred bytes
      byte[] buf = new byte[4096];
      int n = 0;
      int scanned = 0;
      int end = -1;
      int bodyStart = -1;
      while (end < 0) {
        if (n == buf.length) {
          if (buf.length >= MAX_HEADER_BYTES) {
            throw new DirectException(Problem.MALFORMED_INPUT, what + ": the header block is larger than "
                + MAX_HEADER_BYTES / 1024 + " KiB or never ends");
          }
          buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 4, MAX_HEADER_BYTES));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          end = n; // headers only, no body
          bodyStart = n;
          break;
        }
        n += r;
        for (int i = scanned; i < n && end < 0; i++) {
          if (buf[i] != '\n') {
            continue;
          }
          if (i == 0 || (i == 1 && buf[0] == '\r')) {
            end = 0; // no headers at all
            bodyStart = i + 1;
          } else if (i + 1 < n && buf[i + 1] == '\n') {
            end = i + 1;
            bodyStart = i + 2;
          } else if (i + 2 < n && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
            end = i + 1;
            bodyStart = i + 3;
          } else if (i + 2 >= n) {
            break; // decide once more bytes are in
          }
          scanned = i + 1;
        }
      }
      return new Headers(headerLines(buf, end), region.start() + bodyStart);
    } catch (IOException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, what + ": unreadable headers (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Feeds the header block to Jakarta Mail line by line. {@code new InternetHeaders(InputStream)}
   * would do the same, but it looks its line reader up through a ServiceLoader on every call,
   * which cost more than the rest of header handling together. Bytes are kept as ISO-8859-1 so
   * that header lines are written back exactly as received.
   */
  private static InternetHeaders headerLines(byte[] buf, int end) {
    InternetHeaders h = new InternetHeaders();
    boolean first = true;
    int start = 0;
    while (start < end) {
      int nl = start;
      while (nl < end && buf[nl] != '\n') {
        nl++;
      }
      int stop = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
      String line = new String(buf, start, stop - start, StandardCharsets.ISO_8859_1);
      if (!line.isEmpty()) {
        boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
        if (first && continuation) {
          line = line.trim(); // a leading continuation line has nothing to continue
        }
        if (!line.isEmpty()) {
          h.addHeaderLine(line);
          first = false;
        }
      }
      start = nl + 1;
    }
    return h;
  }

  /** One body part of a multipart: from after its opening delimiter line to before the next. */
  public record Part(long start, long end) {}

  /**
   * The body parts of a multipart whose body lies in {@code body}. Only line starts are examined:
   * the scan jumps from one line break to the next ({@link ByteScan}, eight bytes at a time) and
   * compares the few bytes after it with the delimiter, so a 10 MiB part costs one fast pass.
   */
  public static List<Part> parts(Region body, String boundary, String what) {
    byte[] dash = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    int lookahead = dash.length + 128; // a delimiter line: "--" boundary ["--"] white space, line break
    List<Part> parts = new ArrayList<>();
    long partStart = -1;
    try (InputStream in = body.open()) {
      byte[] buf = new byte[Math.max(64 * 1024, lookahead * 2)];
      int len = 0;
      int pos = 0;
      long base = body.start(); // absolute offset of buf[0]
      boolean eof = false;
      int breakBefore = 0;      // length of the line break before the current line (0 at the start)
      while (true) {
        // at a line start: make sure the whole candidate delimiter line is in the buffer
        if (len - pos < lookahead && !eof) {
          System.arraycopy(buf, pos, buf, 0, len - pos);
          base += pos;
          len -= pos;
          pos = 0;
          int r;
          while (len < buf.length && (r = in.read(buf, len, buf.length - len)) > 0) {
            len += r;
          }
          eof = len < buf.length;
        }
        if (pos >= len) {
          break;
        }
        int dashes = delimiterAt(buf, pos, len, dash);
        if (dashes >= 0) {
          long lineStart = base + pos;
          if (partStart >= 0) {
            parts.add(new Part(partStart, Math.max(partStart, lineStart - breakBefore)));
          }
          if (dashes == 2) {
            return parts;
          }
        }
        // jump to the next line
        int nl = ByteScan.indexOf(buf, pos, len, (byte) '\n');
        if (nl < 0) {
          nl = len;
        }
        while (nl == len && !eof) {
          // a long line: keep its last byte (for CR detection) and read on
          byte last = buf[len - 1];
          base += len - 1;
          buf[0] = last;
          len = 1;
          int r;
          while (len < buf.length && (r = in.read(buf, len, buf.length - len)) > 0) {
            len += r;
          }
          eof = len < buf.length;
          nl = ByteScan.indexOf(buf, 1, len, (byte) '\n');
          if (nl < 0) {
            nl = len;
          }
          pos = 0;
        }
        if (nl >= len) {
          break;
        }
        breakBefore = nl > 0 && buf[nl - 1] == '\r' ? 2 : 1;
        if (dashes >= 0) {
          partStart = base + nl + 1;
        }
        pos = nl + 1;
      }
    } catch (IOException e) {
      throw new DirectException(Problem.IO, what + ": cannot read (" + e.getMessage() + ")", e);
    }
    throw new DirectException(Problem.MALFORMED_INPUT, what + ": the multipart body has no closing delimiter '--"
        + boundary + "--'");
  }

  /**
   * -1 when the line at {@code pos} is not a delimiter; 0 for {@code --boundary}, 2 for the
   * closing {@code --boundary--}; trailing white space is allowed (RFC 2046 5.1.1).
   */
  private static int delimiterAt(byte[] buf, int pos, int len, byte[] dash) {
    if (len - pos < dash.length) {
      return -1;
    }
    for (int k = 0; k < dash.length; k++) {
      if (buf[pos + k] != dash[k]) {
        return -1;
      }
    }
    int i = pos + dash.length;
    int dashes = 0;
    if (i + 1 < len && buf[i] == '-' && buf[i + 1] == '-') {
      dashes = 2;
      i += 2;
    }
    for (; i < len && buf[i] != '\n'; i++) {
      if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r') {
        return -1;
      }
    }
    return dashes;
  }
}
