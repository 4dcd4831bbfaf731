package health.direct.core.cert;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 fingerprint of a certificate's DER encoding, as 64 lower-case hex digits.
 *
 * <pre>{@code
 * CertificateFingerprint fp = CertificateFingerprint.of(cert);
 * CertificateFingerprint same = CertificateFingerprint.parse("AB:CD:...");  // colons and case ignored
 * }</pre>
 */
public record CertificateFingerprint(String hex) {

  public CertificateFingerprint {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new DirectException(Problem.MALFORMED_INPUT,
          "'" + hex + "' is not a SHA-256 fingerprint: expected 64 hex digits");
    }
  }

  public static CertificateFingerprint of(X509Certificate cert) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return new CertificateFingerprint(HexFormat.of().formatHex(digest));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "cannot encode certificate "
          + cert.getSubjectX500Principal() + ": " + e.getMessage(), e);
    }
  }

  /** Accepts upper or lower case, with or without ':' separators. */
  public static CertificateFingerprint parse(String text) {
    if (text == null) {
      throw new DirectException(Problem.MALFORMED_INPUT, "no fingerprint given");
    }
    return new CertificateFingerprint(text.replace(":", "").trim().toLowerCase(Locale.ROOT));
  }

  /**
   * True when {@code prefix} starts this fingerprint: at least 8 hex digits, case and colons
   * ignored, so a user can type what {@code anchors list} shows.
   *
   * @throws DirectException when the prefix is too short or not hex
   */
  public boolean startsWith(String prefix) {
    String p = prefix == null ? "" : prefix.replace(":", "").trim().toLowerCase(Locale.ROOT);
    if (p.length() < 8 || !p.matches("[0-9a-f]+")) {
      throw new DirectException(Problem.USAGE, "'" + prefix + "' is not a fingerprint prefix: give at least 8 hex digits");
    }
    return hex.startsWith(p);
  }

  /** The colon-separated upper-case form that openssl prints. */
  public String colonForm() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        b.append(':');
      }
      b.append(hex, i, i + 2);
    }
    return b.toString().toUpperCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return hex;
  }
}
