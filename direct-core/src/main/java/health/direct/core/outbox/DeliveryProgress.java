package health.direct.core.outbox;

/**
 * Told how the hand-over of a message to a mail server is going: bytes so far of its size, so a
 * person sending a large message is not left looking at a silent terminal.
 *
 * <pre>{@code
 * worker.deliverDue((messageId, bytes, size) -> System.err.printf("\r%d of %d", bytes, size));
 * }</pre>
 */
@FunctionalInterface
public interface DeliveryProgress {
  /** Reports nothing. */
  DeliveryProgress NONE = (messageId, bytes, size) -> {};

  void sending(String messageId, long bytes, long size);
}
