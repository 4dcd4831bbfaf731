package health.direct.core.outgoing;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.resolve.RecipientCertificates;
import java.util.List;

/** Nothing was sealed because no recipient can be secured; says why for each (CD-12). */
public final class NoSecuredRecipientException extends DirectException {
  private final transient List<RecipientCertificates.Rejected> dropped;

  public NoSecuredRecipientException(String message, List<RecipientCertificates.Rejected> dropped) {
    super(Problem.NO_TRUSTED_RECIPIENT, message);
    this.dropped = List.copyOf(dropped);
  }

  public List<RecipientCertificates.Rejected> dropped() {
    return dropped;
  }
}
