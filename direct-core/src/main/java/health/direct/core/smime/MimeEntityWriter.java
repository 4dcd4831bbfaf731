package health.direct.core.smime;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a MIME entity (headers, blank line, body) with CRLF line ends.
 *
 * <pre>{@code
 * MimeEntityWriter entity = MimeEntityWriter.ofSize(body.length(), out -> body.writeTo(out));
 * }</pre>
 */
@FunctionalInterface
public interface MimeEntityWriter {
  void writeTo(OutputStream out) throws IOException;

  /** About how many bytes {@link #writeTo} writes, or -1 if unknown; used only to size buffers. */
  default long sizeHint() {
    return -1;
  }

  /** {@code writer} with a size hint, so that a small message does not get buffers made for a large one. */
  static MimeEntityWriter ofSize(long approximateBytes, MimeEntityWriter writer) {
    return new MimeEntityWriter() {
      @Override
      public void writeTo(OutputStream out) throws IOException {
        writer.writeTo(out);
      }

      @Override
      public long sizeHint() {
        return approximateBytes;
      }
    };
  }
}
