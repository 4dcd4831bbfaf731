package health.direct.app.send;

import health.direct.core.address.DirectAddress;
import health.direct.core.policy.UnsecuredMailPolicy;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.resolve.Discovery;
import health.direct.core.resolve.RecipientCertificates;
import health.direct.core.trust.TrustAnchors;
import java.util.Optional;

/**
 * "Can I send to this address?", answered before anything is written, with the same discovery
 * (the address book first, then DNS and LDAP) and the same risk-1 rule that sending applies: an
 * address with a valid certificate can be secured; one that publishes none can be sent to without
 * S/MIME only where {@code unsecured.send-to-non-direct} allows it and the message holds no PHI;
 * anything else cannot be sent to, with the reason.
 *
 * <pre>{@code
 * Reachability.Answer a = new Reachability(session.discovery(), session.trustAnchors(), config.unsecured())
 *     .check(bob, Optional.of(alice));
 * }</pre>
 */
public final class Reachability {
  /** The answer, with the discovery that led to it (every question asked and every certificate judged). */
  public sealed interface Answer permits Secured, UnsecuredAllowed, Refused {
    Discovery discovery();
  }

  /** A message to the address will be sealed for the certificates found. */
  public record Secured(Discovery discovery, RecipientCertificates.Accepted accepted) implements Answer {}

  /** No certificate is published; this home's settings let a message without PHI go unsecured. */
  public record UnsecuredAllowed(Discovery discovery, String reason) implements Answer {}

  /** Nothing can be sent to the address: why. */
  public record Refused(Discovery discovery, String reason) implements Answer {}

  private final CertificateDiscovery discovery;
  private final TrustAnchors anchors;
  private final UnsecuredMailPolicy policy;

  public Reachability(CertificateDiscovery discovery, TrustAnchors anchors, UnsecuredMailPolicy policy) {
    this.discovery = discovery;
    this.anchors = anchors;
    this.policy = policy;
  }

  /** Whether {@code to} can be sent a message from {@code from} (whose anchors judge the certificates). */
  public Answer check(DirectAddress to, Optional<DirectAddress> from) {
    Discovery d = discovery.discover(to, anchors.forLocal(from.orElse(null)));
    if (d.outcome() instanceof RecipientCertificates.Accepted a) {
      return new Secured(d, a);
    }
    RecipientCertificates.Rejected r = (RecipientCertificates.Rejected) d.outcome();
    if (r.why() == RecipientCertificates.Why.NOT_FOUND && policy.sendToNonDirect()) {
      return new UnsecuredAllowed(d, r.reason() + "; this home sends to addresses without a certificate unsecured "
          + "(unsecured.send-to-non-direct), but only a message in which the DLP check finds no PHI");
    }
    return new Refused(d, r.reason());
  }
}
