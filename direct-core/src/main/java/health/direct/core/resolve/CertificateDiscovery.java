package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificate discovery for one recipient (arc 1): the address book first, then the published
 * sources in CD-07 order (DNS CERT address then domain, LDAP address then domain). The first
 * source that finds any certificate decides: its candidates are validated (CD-08) and the
 * recipient is accepted with every valid one at the chosen level (CD-10) or rejected with the
 * reason (CD-09, CD-12). A bogus DNSSEC answer stops discovery for that recipient (risk 2).
 *
 * <p>Certificates in the address book were chosen or verified by the user. With
 * {@code pinnedIsFinal} (the default) they are the only ones used for that correspondent: when
 * they stop being valid, sealing is refused until the user verifies the new certificate, rather
 * than silently trusting whatever DNS or LDAP now publishes.
 *
 * <pre>{@code
 * CertificateDiscovery discovery = new CertificateDiscovery(addressBook, List.of(dns, ldap), selector, true);
 * Discovery d = discovery.discover(DirectAddress.parse("bob@clinic.example"), anchors);
 * }</pre>
 */
public final class CertificateDiscovery {
  private final CertificateResolver addressBook;
  private final List<CertificateResolver> published;
  private final RecipientSelector selector;
  private final boolean pinnedIsFinal;

  public CertificateDiscovery(CertificateResolver addressBook, List<CertificateResolver> published,
      RecipientSelector selector, boolean pinnedIsFinal) {
    this.addressBook = addressBook;
    this.published = List.copyOf(published);
    this.selector = selector;
    this.pinnedIsFinal = pinnedIsFinal;
  }

  /** Discovery as sealing uses it: the address book, then the published sources. */
  public Discovery discover(DirectAddress address, List<X509Certificate> anchors) {
    List<Attempt> attempts = new ArrayList<>();
    List<CandidateVerdict> candidates = new ArrayList<>();
    Resolution own = addressBook.resolve(address);
    attempts.addAll(own.attempts());
    if (own.found()) {
      RecipientSelector.Selection s = selector.select(own, anchors);
      candidates.addAll(s.verdicts());
      if (s.outcome() instanceof RecipientCertificates.Accepted) {
        return new Discovery(address, attempts, candidates, s.outcome());
      }
      String reason = ((RecipientCertificates.Rejected) s.outcome()).reason();
      if (pinnedIsFinal) {
        return new Discovery(address, attempts, candidates, new RecipientCertificates.Rejected(address,
            "the certificate in the address book for " + address + " is no longer usable (" + reason
                + "); run 'direct contacts discover " + address + "' and confirm the new certificate with"
                + " 'direct contacts verify' before sending"));
      }
      attempts.add(Attempt.of("address book", address.toString(),
          "its certificates are no longer usable; asking the published sources (pinning is off)"));
    }
    return published(address, anchors, attempts, candidates);
  }

  /** Discovery of what the recipient publishes, ignoring the address book ({@code contacts discover}). */
  public Discovery discoverPublished(DirectAddress address, List<X509Certificate> anchors) {
    return published(address, anchors, new ArrayList<>(), new ArrayList<>());
  }

  private Discovery published(DirectAddress address, List<X509Certificate> anchors, List<Attempt> attempts,
      List<CandidateVerdict> candidates) {
    for (CertificateResolver source : published) {
      Resolution r = source.resolve(address);
      attempts.addAll(r.attempts());
      if (r.refusal().isPresent() || r.found()) {
        RecipientSelector.Selection s = selector.select(r, anchors);
        candidates.addAll(s.verdicts());
        return new Discovery(address, attempts, candidates, s.outcome());
      }
    }
    RecipientSelector.Selection none = selector.select(Resolution.none(address, attempts), anchors);
    return new Discovery(address, attempts, candidates, none.outcome());
  }
}
