package health.direct.core.cert;

import health.direct.core.address.DirectAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * How a certificate is bound to a Direct address (AS-02, AS-11): by the full address in a
 * subjectAltName rfc822Name, or by the address's domain in a dNSName. Comparison ignores case
 * (AS-01).
 *
 * <pre>{@code
 * CertificateBinding.Kind k = CertificateBinding.of(cert, DirectAddress.parse("bob@b.example"));
 * }</pre>
 */
public final class CertificateBinding {
  private CertificateBinding() {}

  /** The binding found. */
  public enum Kind {
    ADDRESS, DOMAIN, NONE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final int RFC822 = 1;
  private static final int DNS = 2;

  public static Kind of(X509Certificate cert, DirectAddress address) {
    for (String mail : names(cert, RFC822)) {
      try {
        if (DirectAddress.parse(mail).sameMailbox(address)) {
          return Kind.ADDRESS;
        }
      } catch (RuntimeException ignored) {
        // a malformed rfc822Name simply binds nothing
      }
    }
    for (String dns : names(cert, DNS)) {
      if (dns.equalsIgnoreCase(address.domain())) {
        return Kind.DOMAIN;
      }
    }
    return Kind.NONE;
  }

  /** The rfc822Name entries of the subjectAltName. */
  public static List<String> emailAddresses(X509Certificate cert) {
    return names(cert, RFC822);
  }

  /** The dNSName entries of the subjectAltName. */
  public static List<String> dnsNames(X509Certificate cert) {
    return names(cert, DNS);
  }

  private static List<String> names(X509Certificate cert, int type) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(0) instanceof Integer t && t == type && san.get(1) instanceof String v) {
            out.add(v);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // an unparsable subjectAltName binds nothing
    }
    return out;
  }
}
