package health.direct.core.outbox;

import java.time.Duration;

/**
 * How long to wait for the recipient's notifications once the mail server took the message: a
 * processed MDN within {@code processed} (real Direct peers give up after about an hour), a
 * dispatched one within {@code dispatched} when it was asked for (DN-08).
 */
public record ReceiptPolicy(Duration processed, Duration dispatched) {
  public static ReceiptPolicy defaults() {
    return new ReceiptPolicy(Duration.ofMinutes(60), Duration.ofHours(24));
  }
}
