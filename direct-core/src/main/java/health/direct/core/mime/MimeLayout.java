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

  /** The body parts of a multipart whose body lies in {@code body}. */
  public static List<Part> parts(Region body, String boundary, String what) {
    byte[] dash = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = new ArrayList<>();
    long partStart = -1;
    boolean closed = false;
    try (InputStream in = body.open()) {
      byte[] buf = new byte[64 * 1024];
      long pos = body.start();
      long lineStart = pos;
      int matched = 0;        // bytes of "--boundary" matched at the start of this line
      boolean candidate = true;
      int tailState = 0;       // 0: in prefix, 1: after prefix (only "--" and white space allowed)
      int dashes = 0;
      byte prev1 = '\n';
      long prevBreakLen = 0;
      int r;
      while (!closed && (r = in.read(buf)) > 0) {
        for (int i = 0; i < r; i++, pos++) {
          byte b = buf[i];
          if (b == '\n') {
            long breakLen = prev1 == '\r' ? 2 : 1;
            if (candidate && matched == dash.length) {
              long delimiterStart = lineStart - prevBreakLen;
              if (partStart >= 0) {
                parts.add(new Part(partStart, Math.max(partStart, delimiterStart)));
              }
              partStart = pos + 1;
              if (dashes == 2) {
                closed = true;
                break;
              }
            }
            prevBreakLen = breakLen;
            lineStart = pos + 1;
            matched = 0;
            candidate = true;
            tailState = 0;
            dashes = 0;
          } else if (candidate) {
            if (tailState == 0) {
              if (matched < dash.length && b == dash[matched]) {
                matched++;
                if (matched == dash.length) {
                  tailState = 1;
                }
              } else {
                candidate = false;
              }
            } else if (b == '-' && dashes < 2) {
              dashes++;
            } else if (b != ' ' && b != '\t' && b != '\r') {
              candidate = false;
            }
          }
          prev1 = b;
        }
      }
      if (!closed && candidate && matched == dash.length && dashes == 2 && partStart >= 0) {
        // closing delimiter on the last line, without a line break after it
        parts.add(new Part(partStart, Math.max(partStart, lineStart - prevBreakLen)));
        closed = true;
      }
    } catch (IOException e) {
      throw new DirectException(Problem.IO, what + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (!closed) {
      throw new DirectException(Problem.MALFORMED_INPUT, what + ": the multipart body has no closing delimiter '--"
          + boundary + "--'");
    }
    return parts;
  }
}
