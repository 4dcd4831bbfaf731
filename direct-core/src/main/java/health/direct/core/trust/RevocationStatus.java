package health.direct.core.trust;

import java.time.Instant;

/** What revocation checking found for one certificate. */
sealed interface RevocationStatus {
  /** Checked and good, with where the answer came from and until when it holds. */
  record Good(String source, Instant validUntil) implements RevocationStatus {}

  /** Revoked. */
  record Revoked(String source, Instant revokedAt) implements RevocationStatus {}

  /** The certificate names no CRL or OCSP responder: nothing can be checked. */
  record NotPublished() implements RevocationStatus {}

  /** Revocation information is published but could not be obtained or trusted. */
  record Unknown(String why) implements RevocationStatus {}
}
