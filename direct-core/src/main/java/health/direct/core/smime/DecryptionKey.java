package health.direct.core.smime;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A local private key and the certificate it belongs to. {@code toString} never prints the key. */
public record DecryptionKey(PrivateKey privateKey, X509Certificate certificate) {
  @Override
  public String toString() {
    return "DecryptionKey[" + certificate.getSubjectX500Principal().getName() + ", key hidden]";
  }
}
