package health.direct.core.smime;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.util.Locale;

/**
 * RSA key transport for each recipient (AS-05): PKCS#1 v1.5, which every Direct peer reads, or
 * RSAES-OAEP with SHA-256 when configured.
 */
public enum KeyTransport {
  RSA_PKCS1("RSA PKCS#1 v1.5"),
  RSA_OAEP_SHA256("RSAES-OAEP SHA-256");

  private final String label;

  KeyTransport(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static KeyTransport parse(String text) {
    String norm = text.trim().toLowerCase(Locale.ROOT);
    return switch (norm) {
      case "pkcs1", "rsa-pkcs1", "rsa_pkcs1", "pkcs1-v1.5" -> RSA_PKCS1;
      case "oaep", "rsa-oaep", "rsa_oaep_sha256", "oaep-sha256" -> RSA_OAEP_SHA256;
      default -> throw new DirectException(Problem.CONFIG, "unknown key transport '" + text + "': use pkcs1 or oaep");
    };
  }
}
