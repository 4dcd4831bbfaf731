package health.direct.core.resolve;

import health.direct.core.cert.CertificateFingerprint;

/** Why discovery kept or rejected one certificate it found (CD-08), for `contacts discover --explain`. */
public record CandidateVerdict(FoundCertificate found, boolean kept, String reason) {

  public CertificateFingerprint fingerprint() {
    return CertificateFingerprint.of(found.certificate());
  }
}
