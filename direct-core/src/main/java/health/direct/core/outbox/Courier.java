package health.direct.core.outbox;

import health.direct.core.address.DirectAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Hands a sealed message to mail servers; the transport module does it over SMTP. */
@FunctionalInterface
public interface Courier {
  /** One outcome for every recipient in {@code to}. */
  Map<DirectAddress, DeliveryOutcome> deliver(Path message, DirectAddress from, List<DirectAddress> to);
}
