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

  /** Dropped from the message (CD-12), with the reason the user is told and its kind. */
  record Rejected(DirectAddress address, String reason, Why why) implements RecipientCertificates {
    public Rejected(DirectAddress address, String reason) {
      this(address, reason, Why.INVALID);
    }
  }

  /** Why a recipient cannot be secured. */
  enum Why {
    /** No certificate is published anywhere: probably not a Direct address. */
    NOT_FOUND,
    /** Certificates were found but none is valid (expired, revoked, untrusted, unbound...). */
    INVALID,
    /** Discovery could not be trusted or completed (a bogus DNSSEC answer, a DNS failure). */
    REFUSED
  }
}
