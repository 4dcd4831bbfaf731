package health.direct.core.agent;

import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.cert.KeyPurpose;
import health.direct.core.resolve.FoundCertificate;
import health.direct.core.resolve.Resolution;
import health.direct.core.trust.TrustDecision;
import health.direct.core.trust.TrustValidator;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the certificates to encrypt for one recipient (CD-08..CD-12, AS-10): every candidate is
 * validated for encryption; address-bound certificates win; if address-bound ones exist but none
 * is valid the recipient is dropped without falling back to domain-bound ones (CD-09).
 */
public final class RecipientSelector {
  private final TrustValidator validator;

  public RecipientSelector(TrustValidator validator) {
    this.validator = validator;
  }

  public RecipientCertificates select(Resolution resolution, List<X509Certificate> anchors) {
    DirectAddress address = resolution.address();
    if (!resolution.found()) {
      return new RecipientCertificates.Rejected(address, "no certificate found for " + address + " (tried: "
          + String.join("; ", resolution.attempts()) + ")");
    }
    List<FoundCertificate> addressBound = byLevel(resolution, CertificateBinding.Kind.ADDRESS);
    List<FoundCertificate> domainBound = byLevel(resolution, CertificateBinding.Kind.DOMAIN);
    List<String> problems = new ArrayList<>();
    for (FoundCertificate f : resolution.certificates()) {
      if (f.binding() == CertificateBinding.Kind.NONE) {
        problems.add(label(f.certificate()) + " is bound to neither " + address + " nor " + address.domain());
      }
    }
    if (!addressBound.isEmpty()) {
      List<X509Certificate> valid = validate(addressBound, anchors, problems);
      if (valid.isEmpty()) {
        return new RecipientCertificates.Rejected(address, "address-bound certificates for " + address
            + " were found but none is valid, so domain-bound ones are not considered (CD-09): "
            + String.join("; ", problems));
      }
      return new RecipientCertificates.Accepted(address, valid, CertificateBinding.Kind.ADDRESS,
          addressBound.get(0).source());
    }
    if (!domainBound.isEmpty()) {
      List<X509Certificate> valid = validate(domainBound, anchors, problems);
      if (!valid.isEmpty()) {
        return new RecipientCertificates.Accepted(address, valid, CertificateBinding.Kind.DOMAIN,
            domainBound.get(0).source());
      }
    }
    return new RecipientCertificates.Rejected(address, "no valid certificate for " + address + ": "
        + String.join("; ", problems));
  }

  private List<X509Certificate> validate(List<FoundCertificate> found, List<X509Certificate> anchors,
      List<String> problems) {
    List<X509Certificate> valid = new ArrayList<>();
    for (FoundCertificate f : found) {
      TrustDecision d = validator.validate(f.certificate(), List.of(), anchors, KeyPurpose.ENCRYPTION);
      if (d instanceof TrustDecision.Untrusted u) {
        problems.add(label(f.certificate()) + " from " + f.source() + ": " + u.detail());
      } else {
        valid.add(f.certificate());
      }
    }
    return valid;
  }

  private static List<FoundCertificate> byLevel(Resolution r, CertificateBinding.Kind kind) {
    return r.certificates().stream().filter(f -> f.binding() == kind).toList();
  }

  private static String label(X509Certificate c) {
    return "certificate " + CertificateFingerprint.of(c).hex().substring(0, 16);
  }
}
