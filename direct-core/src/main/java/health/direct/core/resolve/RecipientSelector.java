package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.cert.KeyPurpose;
import health.direct.core.trust.TrustDecision;
import health.direct.core.trust.TrustValidator;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the certificates to encrypt for one recipient from one resolver's answer (CD-08..CD-12,
 * AS-10): every candidate is validated for encryption (chain to an anchor, validity, revocation,
 * binding, keyEncipherment); address-bound certificates win; if address-bound ones exist but none
 * is valid the recipient is rejected without falling back to domain-bound ones (CD-09).
 *
 * <pre>{@code
 * Selection s = new RecipientSelector(validator).select(resolution, anchors);
 * s.verdicts().forEach(v -> System.out.println(v.fingerprint() + " " + v.reason()));
 * }</pre>
 */
public final class RecipientSelector {
  private final TrustValidator validator;

  /** The outcome and, for each candidate, whether it was kept and why. */
  public record Selection(RecipientCertificates outcome, List<CandidateVerdict> verdicts) {
    public Selection {
      verdicts = List.copyOf(verdicts);
    }
  }

  public RecipientSelector(TrustValidator validator) {
    this.validator = validator;
  }

  public Selection select(Resolution resolution, List<X509Certificate> anchors) {
    DirectAddress address = resolution.address();
    if (resolution.refusal().isPresent()) {
      return new Selection(new RecipientCertificates.Rejected(address, resolution.refusal().get(),
          RecipientCertificates.Why.REFUSED), List.of());
    }
    if (!resolution.found()) {
      return new Selection(new RecipientCertificates.Rejected(address, "no certificate found for " + address
          + " (tried: " + String.join("; ", resolution.attempts().stream().map(Attempt::toString).toList()) + ")",
          RecipientCertificates.Why.NOT_FOUND), List.of());
    }
    List<CandidateVerdict> verdicts = new ArrayList<>();
    List<FoundCertificate> addressBound = new ArrayList<>();
    List<FoundCertificate> domainBound = new ArrayList<>();
    for (FoundCertificate f : resolution.certificates()) {
      switch (f.binding()) {
        case ADDRESS -> addressBound.add(f);
        case DOMAIN -> domainBound.add(f);
        default -> verdicts.add(new CandidateVerdict(f, false,
            "bound to neither " + address + " nor " + address.domain()));
      }
    }
    if (!addressBound.isEmpty()) {
      List<X509Certificate> valid = validate(addressBound, anchors, verdicts);
      domainBound.forEach(f -> verdicts.add(new CandidateVerdict(f, false,
          "domain-bound; address-bound certificates take precedence (CD-09)")));
      if (valid.isEmpty()) {
        return new Selection(new RecipientCertificates.Rejected(address, "address-bound certificates for " + address
            + " were found but none is valid, so domain-bound ones are not considered (CD-09): "
            + problems(verdicts)), verdicts);
      }
      return new Selection(new RecipientCertificates.Accepted(address, valid, CertificateBinding.Kind.ADDRESS,
          addressBound.get(0).source()), verdicts);
    }
    if (!domainBound.isEmpty()) {
      List<X509Certificate> valid = validate(domainBound, anchors, verdicts);
      if (!valid.isEmpty()) {
        return new Selection(new RecipientCertificates.Accepted(address, valid, CertificateBinding.Kind.DOMAIN,
            domainBound.get(0).source()), verdicts);
      }
    }
    return new Selection(new RecipientCertificates.Rejected(address, "no valid certificate for " + address + ": "
        + problems(verdicts)), verdicts);
  }

  private List<X509Certificate> validate(List<FoundCertificate> found, List<X509Certificate> anchors,
      List<CandidateVerdict> verdicts) {
    List<X509Certificate> valid = new ArrayList<>();
    for (FoundCertificate f : found) {
      TrustDecision d = validator.validate(f.certificate(), List.of(), anchors, KeyPurpose.ENCRYPTION);
      if (d instanceof TrustDecision.Untrusted u) {
        verdicts.add(new CandidateVerdict(f, false, u.detail()));
      } else {
        verdicts.add(new CandidateVerdict(f, true, "valid for encryption, chains to a trust anchor, "
            + f.binding().name().toLowerCase(java.util.Locale.ROOT) + "-bound"));
        valid.add(f.certificate());
      }
    }
    return valid;
  }

  private static String problems(List<CandidateVerdict> verdicts) {
    return String.join("; ", verdicts.stream().filter(v -> !v.kept())
        .map(v -> label(v.found().certificate()) + " from " + v.found().source() + ": " + v.reason()).toList());
  }

  private static String label(X509Certificate c) {
    return "certificate " + CertificateFingerprint.of(c).hex().substring(0, 16);
  }
}
