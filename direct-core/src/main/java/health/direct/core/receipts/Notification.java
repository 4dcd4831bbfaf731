package health.direct.core.receipts;

import java.util.List;
import java.util.Optional;

/** A delivery notification that arrived: an MDN from the recipient's client, or a DSN from a mail server. */
public sealed interface Notification {
  String originalMessageId();

  /** RFC 8098: what happened to the message at the final recipient. */
  record Mdn(String originalMessageId, String finalRecipient, Disposition disposition,
      boolean finalDestinationDelivery, Optional<String> reportingUa) implements Notification {}

  /** RFC 3464: per recipient, what a mail server did (only "failed" matters here, DN-12). */
  record Dsn(String originalMessageId, List<DsnRecipient> recipients) implements Notification {
    public Dsn {
      recipients = List.copyOf(recipients);
    }
  }

  /** One recipient of a DSN. */
  record DsnRecipient(String address, String action, String status, Optional<String> diagnostic) {
    public boolean failed() {
      return action.equalsIgnoreCase("failed");
    }
  }
}
