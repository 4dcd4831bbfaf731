package health.direct.core.smime;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a MIME entity (headers, blank line, body) with CRLF line ends. */
@FunctionalInterface
public interface MimeEntityWriter {
  void writeTo(OutputStream out) throws IOException;
}
