package health.direct.core.cert;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * A TLS server's certificate chain and private key read from the PEM files a certificate
 * authority, certbot or openssl hands out, as an in-memory key store for the HTTP server. The key
 * must be unencrypted on disk (as web servers expect, owner-only); a key that does not match the
 * certificate is refused.
 *
 * <pre>{@code
 * ServerKeyMaterial m = ServerKeyMaterial.load(Path.of("fullchain.pem"), Path.of("privkey.pem"));
 * sslContextFactory.setKeyStore(m.keyStore()); sslContextFactory.setKeyStorePassword(new String(m.password()));
 * }</pre>
 */
public record ServerKeyMaterial(KeyStore keyStore, char[] password, X509Certificate leaf) {
  public static ServerKeyMaterial load(Path certFile, Path keyFile) {
    List<X509Certificate> chain = new ArrayList<>();
    for (Object o : read(certFile, "the TLS certificate")) {
      if (o instanceof X509CertificateHolder h) {
        try {
          chain.add(new JcaX509CertificateConverter().getCertificate(h));
        } catch (java.security.cert.CertificateException e) {
          throw new DirectException(Problem.MALFORMED_INPUT, "the TLS certificate " + certFile + " cannot be read: "
              + e.getMessage(), e);
        }
      }
    }
    if (chain.isEmpty()) {
      throw new DirectException(Problem.CONFIG, certFile + " holds no certificate (a PEM file with "
          + "-----BEGIN CERTIFICATE----- blocks, the server's own first)");
    }
    PrivateKey key = null;
    for (Object o : read(keyFile, "the TLS private key")) {
      try {
        if (o instanceof PEMKeyPair kp) {
          key = new JcaPEMKeyConverter().getKeyPair(kp).getPrivate();
        } else if (o instanceof PrivateKeyInfo pki) {
          key = new JcaPEMKeyConverter().getPrivateKey(pki);
        }
      } catch (org.bouncycastle.openssl.PEMException e) {
        throw new DirectException(Problem.MALFORMED_INPUT, "the TLS private key " + keyFile + " cannot be read: "
            + e.getMessage(), e);
      }
    }
    if (key == null) {
      throw new DirectException(Problem.CONFIG, keyFile + " holds no unencrypted private key (PEM: -----BEGIN PRIVATE "
          + "KEY-----, or the RSA or EC form); an encrypted key must be decrypted first (openssl pkey -in KEY -out KEY2)");
    }
    if (!matches(key, chain.get(0))) {
      throw new DirectException(Problem.CONFIG, "the private key in " + keyFile + " does not belong to the first "
          + "certificate in " + certFile);
    }
    try {
      char[] pw = java.util.UUID.randomUUID().toString().toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, pw);
      ks.setKeyEntry("server", key, pw, chain.toArray(new X509Certificate[0]));
      return new ServerKeyMaterial(ks, pw, chain.get(0));
    } catch (GeneralSecurityException | IOException e) {
      throw new DirectException(Problem.CONFIG, "the TLS key and certificate cannot be used together: "
          + e.getMessage(), e);
    }
  }

  private static boolean matches(PrivateKey key, X509Certificate cert) {
    try {
      String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      java.security.Signature s = java.security.Signature.getInstance(alg);
      byte[] probe = "direct".getBytes(StandardCharsets.US_ASCII);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(cert.getPublicKey());
      s.update(probe);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<Object> read(Path file, String what) {
    List<Object> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
      for (Object o; (o = p.readObject()) != null; ) {
        out.add(o);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new DirectException(Problem.CONFIG, what + " " + file + " does not exist", e);
    } catch (IOException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, what + " " + file + " is not a PEM file: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "ServerKeyMaterial[" + leaf.getSubjectX500Principal() + "]";
  }
}
