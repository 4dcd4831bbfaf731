package health.direct.core.outbox;

import health.direct.core.address.DirectAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/** Hands a sealed message to mail servers; the transport module does it over SMTP. */
@FunctionalInterface
public interface Courier {
  /** One outcome for every recipient in {@code to}. */
  Map<DirectAddress, DeliveryOutcome> deliver(Path message, DirectAddress from, List<DirectAddress> to);

  /**
   * As {@link #deliver(Path, DirectAddress, List)}, telling {@code sent} the bytes of the message
   * handed to the server so far (a courier that cannot count says nothing).
   */
  default Map<DirectAddress, DeliveryOutcome> deliver(Path message, DirectAddress from, List<DirectAddress> to,
      LongConsumer sent) {
    return deliver(message, from, to);
  }
}
