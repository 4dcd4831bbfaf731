package health.direct.core.smime;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * One signer of a message as found: its certificate (when the message carried it), the digest,
 * and whether the signature is intact. Intact says nothing about trust.
 */
public record SignerCheck(Optional<X509Certificate> certificate, String digest, boolean legacyDigest,
    boolean intact, String problem) {}
