package health.direct.app.admin;

import health.direct.app.DirectSession;
import health.direct.core.cert.CertificateReader;
import health.direct.core.store.AnchorStore;
import health.direct.core.trust.AnchorScope;
import health.direct.core.trust.TrustAnchor;
import java.util.List;

/**
 * The trust anchors (TR-01): what the home trusts, and for which of its addresses. A change counts
 * at once for the rest of the session.
 *
 * <pre>{@code
 * new Anchors(session).add(Files.readAllBytes(Path.of("root.pem")), "root.pem", AnchorScope.parse("any"));
 * }</pre>
 */
public final class Anchors {
  private final DirectSession session;

  public Anchors(DirectSession session) {
    this.session = session;
  }

  /** Adds every certificate in {@code encoded} (PEM, DER or PKCS#7; {@code name} names it in errors) for {@code scope}. */
  public List<TrustAnchor> add(byte[] encoded, String name, AnchorScope scope) {
    List<TrustAnchor> added = session.anchorStore().add(CertificateReader.read(encoded, name), scope);
    session.reloadTrustAnchors();
    return added;
  }

  /** Every anchor with its scope. */
  public List<TrustAnchor> list() {
    return session.anchorStore().load().all();
  }

  /** Removes the anchors whose SHA-256 fingerprint starts with {@code fingerprintPrefix} (8+ hex digits). */
  public List<AnchorStore.Entry> remove(String fingerprintPrefix) {
    List<AnchorStore.Entry> removed = session.anchorStore().remove(fingerprintPrefix);
    session.reloadTrustAnchors();
    return removed;
  }
}
