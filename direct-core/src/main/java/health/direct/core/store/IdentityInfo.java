package health.direct.core.store;

import health.direct.core.cert.CertificateFingerprint;
import java.time.Instant;

/**
 * What {@code direct identity list} shows of one local identity; no secret in it.
 *
 * @param owner the address (address-bound) or domain (domain-bound) the identity speaks for
 */
public record IdentityInfo(String owner, CertificateFingerprint fingerprint, String subject, Instant notBefore,
    Instant notAfter, boolean canSign, boolean canEncrypt, boolean pending) {}
