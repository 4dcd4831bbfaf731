package health.direct.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** A private key with its certificate and chain (leaf first, without the root). */
public record TestIdentity(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {

  /** The identity as a PKCS#12 file protected by {@code password}. */
  public byte[] toPkcs12(char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("identity", privateKey, password, chain.toArray(Certificate[]::new));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ks.store(out, password);
      return out.toByteArray();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server-side TLS context presenting this identity (for test SMTP, IMAP, POP3 and LDAP servers). */
  public javax.net.ssl.SSLContext serverTlsContext() {
    try {
      char[] pw = "tls".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(new java.io.ByteArrayInputStream(toPkcs12(pw)), pw);
      javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
          javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  /** Writes the certificate as PEM. */
  public Path writeCertificatePem(Path file) throws IOException {
    return Files.writeString(file, pem(certificate));
  }

  /** Writes the private key as unencrypted PKCS#8 PEM (for driving the openssl command in tests). */
  public Path writePrivateKeyPem(Path file) throws IOException {
    return Files.writeString(file, pem(privateKey));
  }

  public static String pem(Object... objects) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      for (Object o : objects) {
        pem.writeObject(o);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }
}
