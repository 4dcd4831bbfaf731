package health.direct.transport.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * DANE for SMTP (RFC 7672): the TLSA records of an MX host, found in a DNSSEC-secure answer,
 * decide which server certificates are accepted. DANE-EE (usage 3) pins the server's own
 * certificate or key, and the name is not checked; DANE-TA (usage 2) pins a CA in the chain the
 * server sends, and the name must match. PKIX usages (0, 1) are not used for SMTP (RFC 7672
 * section 3.1.3) and are ignored.
 *
 * <pre>{@code
 * Dane dane = Dane.of(List.of(new Dane.Tlsa(3, 1, 1, sha256OfSpki)));
 * }</pre>
 */
public final class Dane {
  /** One TLSA record: usage, selector (0 certificate, 1 public key), matching type (0 exact, 1 SHA-256, 2 SHA-512). */
  public record Tlsa(int usage, int selector, int matchingType, byte[] data) {}

  private final List<Tlsa> records;

  private Dane(List<Tlsa> records) {
    this.records = List.copyOf(records);
  }

  /** The usable records (DANE-EE and DANE-TA with a known selector and matching type). */
  public static Dane of(List<Tlsa> all) {
    return new Dane(all.stream().filter(t -> (t.usage() == 2 || t.usage() == 3) && t.selector() <= 1
        && t.matchingType() <= 2).toList());
  }

  public boolean usable() {
    return !records.isEmpty();
  }

  /** True when only DANE-EE records are present: then the host name is not checked (RFC 7672 section 3.1.1). */
  public boolean endEntityOnly() {
    return records.stream().allMatch(t -> t.usage() == 3);
  }

  /** A trust manager that accepts a chain when a TLSA record matches it. */
  public X509TrustManager trustManager() {
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not accepted here");
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
  }

  void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    for (Tlsa t : records) {
      if (t.usage() == 3 && matches(t, chain[0])) {
        chain[0].checkValidity();
        return;
      }
      if (t.usage() == 2) {
        for (int i = 1; i < chain.length; i++) {
          if (matches(t, chain[i]) && signedUpTo(chain, i)) {
            return;
          }
        }
      }
    }
    throw new CertificateException("no TLSA record of the MX matches the certificate it presented (DANE, RFC 7672)");
  }

  /** Each certificate below {@code ta} is valid and signed by the next one. */
  private static boolean signedUpTo(X509Certificate[] chain, int ta) {
    try {
      for (int i = 0; i < ta; i++) {
        chain[i].checkValidity();
        chain[i].verify(chain[i + 1].getPublicKey());
      }
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean matches(Tlsa t, X509Certificate c) {
    try {
      byte[] selected = t.selector() == 0 ? c.getEncoded() : c.getPublicKey().getEncoded();
      byte[] value = switch (t.matchingType()) {
        case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
        case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
        default -> selected;
      };
      return MessageDigest.isEqual(value, t.data());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return records.size() + " TLSA record(s): " + String.join(", ", records.stream()
        .map(r -> r.usage() + " " + r.selector() + " " + r.matchingType()).toList());
  }
}
