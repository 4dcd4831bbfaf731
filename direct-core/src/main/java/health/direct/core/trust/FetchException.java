package health.direct.core.trust;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.net.URI;

/** A remote object (CRL, issuer certificate, OCSP answer) could not be retrieved. */
public final class FetchException extends DirectException {
  private static final long serialVersionUID = 1L;

  public FetchException(URI uri, String reason, Throwable cause) {
    super(Problem.IO, "cannot fetch " + uri + ": " + reason, cause);
  }
}
