package health.direct.core.resolve;

import health.direct.core.cert.CertificateBinding;
import java.security.cert.X509Certificate;

/** A certificate a resolver found, where it came from, and how it binds to the queried address. */
public record FoundCertificate(X509Certificate certificate, String source, CertificateBinding.Kind binding) {}
