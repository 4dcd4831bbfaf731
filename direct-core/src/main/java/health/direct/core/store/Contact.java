package health.direct.core.store;

import health.direct.core.address.DirectAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An address-book entry (arc 1): the certificates the user chose for a correspondent, where they
 * came from, and when the user verified them out of band (the seed's pre-condition), if ever.
 */
public record Contact(DirectAddress address, List<X509Certificate> certificates, String source, Instant addedAt,
    Optional<Instant> verifiedAt) {
  public Contact {
    certificates = List.copyOf(certificates);
  }
}
