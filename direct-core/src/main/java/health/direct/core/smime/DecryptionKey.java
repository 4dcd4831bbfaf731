package health.direct.core.smime;

import health.direct.core.cert.CertificateNames;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

/**
 * A local certificate and the way to its private key. The key is only fetched (for a store: its
 * file decrypted) once a message is found to be encrypted for this certificate. {@code toString}
 * never prints the key.
 *
 * <pre>{@code
 * DecryptionKey k = DecryptionKey.of(privateKey, certificate);
 * }</pre>
 */
public record DecryptionKey(X509Certificate certificate, Supplier<PrivateKey> key) {

  public static DecryptionKey of(PrivateKey privateKey, X509Certificate certificate) {
    return new DecryptionKey(certificate, () -> privateKey);
  }

  public PrivateKey privateKey() {
    return key.get();
  }

  @Override
  public String toString() {
    return "DecryptionKey[" + CertificateNames.subject(certificate) + ", key hidden]";
  }
}
