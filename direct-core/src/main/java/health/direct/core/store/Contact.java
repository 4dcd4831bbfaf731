package health.direct.core.store;

import health.direct.core.address.DirectAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * An address-book entry (arc 1): the certificates the user chose for a correspondent and where
 * they came from.
 */
public record Contact(DirectAddress address, List<X509Certificate> certificates, String source, Instant addedAt) {
  public Contact {
    certificates = List.copyOf(certificates);
  }
}
