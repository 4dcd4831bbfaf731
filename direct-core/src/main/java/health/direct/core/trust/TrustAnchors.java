package health.direct.core.trust;

import health.direct.core.address.DirectAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The configured anchors, immutable. {@link #forLocal} picks those that serve one local address,
 * so a hospital can trust one bundle for its clinicians and another for its patient portal (TR-01).
 */
public record TrustAnchors(List<TrustAnchor> all) {
  public TrustAnchors {
    all = List.copyOf(all);
  }

  public static TrustAnchors of(X509Certificate... certs) {
    return new TrustAnchors(java.util.Arrays.stream(certs).map(c -> new TrustAnchor(c, AnchorScope.ANY)).toList());
  }

  /** Anchors serving {@code local}; {@code null} (no local address known) gets only the unscoped ones. */
  public List<X509Certificate> forLocal(DirectAddress local) {
    return all.stream().filter(a -> a.scope().appliesTo(local)).map(TrustAnchor::certificate).distinct().toList();
  }

  /** Anchors serving a whole local domain (for domain-bound identities): unscoped and domain-scoped ones. */
  public List<X509Certificate> forDomain(String domain) {
    return all.stream().filter(a -> a.scope().appliesToDomain(domain)).map(TrustAnchor::certificate).distinct()
        .toList();
  }
}
