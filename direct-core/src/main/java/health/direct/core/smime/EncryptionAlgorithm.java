package health.direct.core.smime;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * Content encryption algorithms (AS-05, SM-05). CBC is what every Direct peer reads; GCM
 * (AuthEnvelopedData, RFC 5083/5084) is used for a peer only when configured.
 */
public enum EncryptionAlgorithm {
  AES128_CBC("AES-128-CBC", CMSAlgorithm.AES128_CBC, false),
  AES256_CBC("AES-256-CBC", CMSAlgorithm.AES256_CBC, false),
  AES128_GCM("AES-128-GCM", CMSAlgorithm.AES128_GCM, true),
  AES256_GCM("AES-256-GCM", CMSAlgorithm.AES256_GCM, true);

  private final String label;
  private final ASN1ObjectIdentifier oid;
  private final boolean authenticated;

  EncryptionAlgorithm(String label, ASN1ObjectIdentifier oid, boolean authenticated) {
    this.label = label;
    this.oid = oid;
    this.authenticated = authenticated;
  }

  public String label() {
    return label;
  }

  ASN1ObjectIdentifier oid() {
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

  /** The label for a received content-encryption OID, or the dotted OID when unknown. */
  public static String labelFor(ASN1ObjectIdentifier oid) {
    for (EncryptionAlgorithm a : values()) {
      if (a.oid.equals(oid)) {
        return a.label;
      }
    }
    if (CMSAlgorithm.DES_EDE3_CBC.equals(oid)) {
      return "3DES-CBC (legacy)";
    }
    if (CMSAlgorithm.AES192_CBC.equals(oid)) {
      return "AES-192-CBC";
    }
    return oid.getId();
  }
}
