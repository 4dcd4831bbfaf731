package health.direct.core.cert;

import health.direct.core.DirectException;
import health.direct.core.Problem;

/** Bytes that should hold certificates but do not, with the reason and where they came from. */
public final class CertificateParseException extends DirectException {
  private static final long serialVersionUID = 1L;

  public CertificateParseException(String source, String reason, Throwable cause) {
    super(Problem.MALFORMED_INPUT, "cannot read certificates from " + source + ": " + reason, cause);
  }
}
