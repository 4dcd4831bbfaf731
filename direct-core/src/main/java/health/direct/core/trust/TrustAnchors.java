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

  public List<X509Certificate> forLocal(DirectAddress local) {
    return all.stream().filter(a -> a.scope().appliesTo(local)).map(TrustAnchor::certificate).distinct().toList();
  }
}
