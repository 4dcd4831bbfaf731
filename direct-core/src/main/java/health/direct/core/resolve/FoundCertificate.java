package health.direct.core.resolve;

import health.direct.core.cert.CertificateBinding;
import java.security.cert.X509Certificate;

/**
 * A certificate a resolver found, where it came from ("DNS CERT bob.clinic.example"), how it binds
 * to the queried address, and the DNSSEC status of the answer that carried it.
 */
public record FoundCertificate(X509Certificate certificate, String source, CertificateBinding.Kind binding,
    DnssecStatus dnssec) {

  public FoundCertificate(X509Certificate certificate, String source, CertificateBinding.Kind binding) {
    this(certificate, source, binding, DnssecStatus.NOT_DNS);
  }
}
