package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import java.security.cert.X509Certificate;
import java.util.List;

/** The outcome of choosing certificates for one recipient: encrypt to these, or drop with a reason. */
public sealed interface RecipientCertificates {
  DirectAddress address();

  /** Every valid certificate at the chosen binding level (CD-10). */
  record Accepted(DirectAddress address, List<X509Certificate> certificates, CertificateBinding.Kind level,
      String source) implements RecipientCertificates {
    public Accepted {
      certificates = List.copyOf(certificates);
    }
  }

  /** Dropped from the message (CD-12), with the reason the user is told. */
  record Rejected(DirectAddress address, String reason) implements RecipientCertificates {}
}
