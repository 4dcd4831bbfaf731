package health.direct.core.address;

import health.direct.core.DirectException;
import health.direct.core.Problem;

/** A string that is not a Direct address, with the reason. */
public final class InvalidAddressException extends DirectException {
  private static final long serialVersionUID = 1L;

  public InvalidAddressException(String input, String reason) {
    super(Problem.MALFORMED_INPUT, "'" + input + "' is not a Direct address: " + reason);
  }
}
