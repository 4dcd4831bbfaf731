package health.direct.testkit;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;

/** One certificate authority of a {@link TestPki}: its key, certificate and revocation list. */
public final class TestCa {
  private final TestPki pki;
  private final String slug;
  private final X500Name name;
  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final Map<BigInteger, Instant> revoked = new ConcurrentHashMap<>();
  private volatile PrivateKey crlAndOcspSigner;

  TestCa(TestPki pki, String slug, X500Name name, PrivateKey privateKey, X509Certificate certificate) {
    this.pki = pki;
    this.slug = slug;
    this.name = name;
    this.privateKey = privateKey;
    this.certificate = certificate;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  X500Name name() {
    return name;
  }

  String slug() {
    return slug;
  }

  /** The CA that issued this one, or null for a root. */
  TestCa issuer() {
    if (certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
      return null;
    }
    return pki.caFor(certificate.getIssuerX500Principal());
  }

  /**
   * From now on, CRLs and OCSP answers for this CA are signed by {@code forger}'s key while still
   * naming this CA as issuer: what an attacker or a misconfigured server would serve.
   */
  public void signRevocationDataWith(TestCa forger) {
    this.crlAndOcspSigner = forger.privateKey();
  }

  PrivateKey revocationSigningKey() {
    PrivateKey k = crlAndOcspSigner;
    return k != null ? k : privateKey;
  }

  Map<BigInteger, Instant> revoked() {
    return Map.copyOf(revoked);
  }

  void revoke(BigInteger serial) {
    revoked.put(serial, pki.clock().instant());
  }

  /** The CRL as served now: freshly signed, listing every revoked serial. */
  public X509CRL currentCrl() {
    return pki.buildCrl(this, Map.copyOf(revoked));
  }

  byte[] currentCrlDer() {
    try {
      return currentCrl().getEncoded();
    } catch (GeneralSecurityException e) {
      return null;
    }
  }
}
