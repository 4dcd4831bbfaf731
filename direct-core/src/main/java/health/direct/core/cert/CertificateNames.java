package health.direct.core.cert;

import java.security.cert.X509Certificate;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Distinguished names as a person reads them: {@code EMAILADDRESS=bob@b.example, CN=Bob, O=Clinic},
 * never an OID with a hex value (the JDK's RFC 2253 form shows the e-mail attribute as
 * {@code 1.2.840.113549.1.9.1=#160d...}).
 *
 * <pre>{@code
 * String who = CertificateNames.subject(certificate);
 * }</pre>
 */
public final class CertificateNames {
  private static final Map<String, String> KEYWORDS = Map.of(
      "1.2.840.113549.1.9.1", "EMAILADDRESS",
      "0.9.2342.19200300.100.1.25", "DC",
      "0.9.2342.19200300.100.1.1", "UID",
      "2.5.4.5", "SERIALNUMBER",
      "2.5.4.4", "SURNAME",
      "2.5.4.42", "GIVENNAME",
      "2.5.4.12", "T");

  private CertificateNames() {}

  public static String of(X500Principal name) {
    return name.getName(X500Principal.RFC1779, KEYWORDS);
  }

  public static String subject(X509Certificate c) {
    return of(c.getSubjectX500Principal());
  }

  public static String issuer(X509Certificate c) {
    return of(c.getIssuerX500Principal());
  }
}
