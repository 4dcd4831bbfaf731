package health.direct.core.smime;

import health.direct.core.cert.CertificateNames;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key with its certificate chain (leaf first). {@code toString} never prints the key.
 */
public record SigningIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
  public SigningIdentity {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("an identity needs at least its own certificate");
    }
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    return "SigningIdentity[" + CertificateNames.subject(certificate()) + ", key hidden]";
  }
}
