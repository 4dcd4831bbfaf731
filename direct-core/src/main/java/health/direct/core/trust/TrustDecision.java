package health.direct.core.trust;

import health.direct.core.cert.CertificateFingerprint;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The outcome of path validation. Exhaustive: a caller must handle both.
 */
public sealed interface TrustDecision permits TrustDecision.Trusted, TrustDecision.Untrusted {

  /** A valid path from the certificate to {@code anchor}; {@code notes} records soft findings. */
  record Trusted(List<X509Certificate> path, X509Certificate anchor, List<String> notes) implements TrustDecision {
    public Trusted {
      path = List.copyOf(path);
      notes = List.copyOf(notes);
    }

    public CertificateFingerprint anchorFingerprint() {
      return CertificateFingerprint.of(anchor);
    }
  }

  /** Why the certificate is not trusted, in words a user can act on. */
  record Untrusted(Reason reason, String detail) implements TrustDecision {}

  /** Stable reasons. */
  enum Reason {
    EXPIRED, NOT_YET_VALID, REVOKED, REVOCATION_UNKNOWN, NO_PATH, NO_ANCHORS, KEY_USAGE, NOT_BOUND, WEAK_KEY
  }
}
