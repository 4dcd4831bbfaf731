package health.direct.core.store;

import java.io.IOException;
import java.io.StringWriter;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM encoding of certificates for the JSON stores and for export. */
public final class Pem {
  private Pem() {}

  public static String encode(List<X509Certificate> certs) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      for (X509Certificate c : certs) {
        pem.writeObject(c);
      }
    } catch (IOException e) {
      throw new StoreException("cannot encode certificates as PEM: " + e.getMessage(), e);
    }
    return w.toString();
  }

  public static String encode(X509Certificate cert) {
    return encode(List.of(cert));
  }
}
