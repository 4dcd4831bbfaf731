package health.direct.core.store;

import health.direct.core.DirectException;
import health.direct.core.Problem;

/** Local state (home folder, key store, address book) cannot be read or written. */
public final class StoreException extends DirectException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(Problem.STORE, message, cause);
  }

  public StoreException(String message) {
    super(Problem.STORE, message);
  }
}
