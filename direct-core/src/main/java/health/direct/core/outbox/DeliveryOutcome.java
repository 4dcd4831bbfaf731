package health.direct.core.outbox;

/**
 * What happened when one recipient's copy was handed to a mail server: accepted, a temporary
 * failure (4xx, no answer: try again later) or a permanent one (5xx, null MX: never retried).
 */
public sealed interface DeliveryOutcome {
  String detail();

  /** The server accepted the message for this recipient ("mx1.clinic.example: 250 2.0.0 OK"). */
  record Delivered(String detail) implements DeliveryOutcome {}

  /** Try again later. */
  record Transient(String detail) implements DeliveryOutcome {}

  /** Give up on this recipient now. */
  record Permanent(String detail) implements DeliveryOutcome {}
}
