package health.direct.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.cert.CertificateNames;
import health.direct.core.store.Contact;
import health.direct.core.store.IdentityInfo;
import health.direct.core.trust.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Locale;

/** The JSON shapes the listings share (docs/cli.md, "JSON output"); times are {@link Times#json}. */
final class JsonViews {
  private JsonViews() {}

  static ObjectNode identity(ObjectNode n, IdentityInfo i) {
    n.put("owner", i.owner()).put("pending", i.pending());
    if (!i.pending()) {
      n.put("subject", i.subject()).put("sha256", i.fingerprint().colonForm())
          .put("notBefore", Times.json(i.notBefore())).put("notAfter", Times.json(i.notAfter()))
          .put("canSign", i.canSign()).put("canEncrypt", i.canEncrypt());
    }
    return n;
  }

  static ObjectNode anchor(ObjectNode n, TrustAnchor a) {
    n.put("subject", CertificateNames.subject(a.certificate())).put("scope", a.scope().toString())
        .put("sha256", a.fingerprint().colonForm())
        .put("notBefore", Times.json(a.certificate().getNotBefore().toInstant()))
        .put("notAfter", Times.json(a.certificate().getNotAfter().toInstant()));
    return n;
  }

  static ObjectNode certificate(ObjectNode n, X509Certificate c, DirectAddress boundTo) {
    n.put("subject", CertificateNames.subject(c)).put("issuer", CertificateNames.issuer(c))
        .put("sha256", CertificateFingerprint.of(c).colonForm())
        .put("notBefore", Times.json(c.getNotBefore().toInstant()))
        .put("notAfter", Times.json(c.getNotAfter().toInstant()));
    if (boundTo != null) {
      n.put("binding", CertificateBinding.of(c, boundTo).name().toLowerCase(Locale.ROOT));
    }
    return n;
  }

  static ObjectNode contact(ObjectNode n, Contact c, boolean withCertificates) {
    n.put("address", c.address().toString()).put("source", c.source()).put("added", Times.json(c.addedAt()))
        .put("verified", c.verifiedAt().map(Times::json).orElse(null)).put("certificates", c.certificates().size());
    if (withCertificates) {
      var a = n.putArray("certificateDetails");
      c.certificates().forEach(x -> certificate(a.addObject(), x, c.address()));
    }
    return n;
  }
}
