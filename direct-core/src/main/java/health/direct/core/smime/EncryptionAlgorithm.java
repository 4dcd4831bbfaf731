package health.direct.core.smime;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.util.Locale;

/**
 * Content encryption algorithms (AS-05, SM-05). CBC is what every Direct peer reads; GCM
 * (AuthEnvelopedData, RFC 5083/5084) is used for a peer only when configured.
 *
 * <p>The OIDs are kept as text: this enum is read with the settings by every command, and naming
 * a Bouncy Castle class here would load (and verify the signatures of) its jars for each of them.
 */
public enum EncryptionAlgorithm {
  AES128_CBC("AES-128-CBC", "2.16.840.1.101.3.4.1.2", false),
  AES256_CBC("AES-256-CBC", "2.16.840.1.101.3.4.1.42", false),
  AES128_GCM("AES-128-GCM", "2.16.840.1.101.3.4.1.6", true),
  AES256_GCM("AES-256-GCM", "2.16.840.1.101.3.4.1.46", true);

  private final String label;
  private final String oid;
  private final boolean authenticated;

  EncryptionAlgorithm(String label, String oid, boolean authenticated) {
    this.label = label;
    this.oid = oid;
    this.authenticated = authenticated;
  }

  public String label() {
    return label;
  }

  /** The dotted OID (the sealer makes Bouncy Castle's object of it where it needs one). */
  String oid() {
    return oid;
  }

  /** True for AES-GCM, which travels as AuthEnvelopedData. */
  public boolean authenticated() {
    return authenticated;
  }

  /** Accepts {@code AES256_CBC}, {@code aes-256-cbc} or {@code aes256-cbc}. */
  public static EncryptionAlgorithm parse(String text) {
    String norm = text.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (EncryptionAlgorithm a : values()) {
      if (a.name().replace("_", "").equals(norm)) {
        return a;
      }
    }
    throw new DirectException(Problem.CONFIG, "unknown encryption algorithm '" + text
        + "': use one of aes-128-cbc, aes-256-cbc, aes-128-gcm, aes-256-gcm");
  }

  /** The label for a received content-encryption OID (dotted), or the OID itself when unknown. */
  public static String labelFor(String oid) {
    for (EncryptionAlgorithm a : values()) {
      if (a.oid.equals(oid)) {
        return a.label;
      }
    }
    if ("1.2.840.113549.3.7".equals(oid)) {
      return "3DES-CBC (legacy)";
    }
    if ("2.16.840.1.101.3.4.1.22".equals(oid)) {
      return "AES-192-CBC";
    }
    return oid;
  }
}
