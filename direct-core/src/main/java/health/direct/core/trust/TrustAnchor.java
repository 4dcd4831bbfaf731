package health.direct.core.trust;

import health.direct.core.cert.CertificateFingerprint;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A configured anchor certificate and the local addresses it serves. */
public record TrustAnchor(X509Certificate certificate, AnchorScope scope) {
  public TrustAnchor {
    Objects.requireNonNull(certificate, "certificate");
    scope = scope == null ? AnchorScope.ANY : scope;
  }

  public CertificateFingerprint fingerprint() {
    return CertificateFingerprint.of(certificate);
  }
}
