package health.direct.core.cert;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What a certificate is used for, with the key usage each needs (CD-11, TR-03): signing needs
 * digitalSignature; encryption needs keyEncipherment, or no KeyUsage extension at all.
 */
public enum KeyPurpose {
  SIGNING,
  ENCRYPTION;

  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_ENCIPHERMENT = 2;

  /** Empty when the certificate may be used for this purpose, else the reason it may not. */
  public Optional<String> refusal(X509Certificate cert) {
    boolean[] ku = cert.getKeyUsage();
    if (ku == null) {
      return Optional.empty();
    }
    return switch (this) {
      case SIGNING -> ku.length > DIGITAL_SIGNATURE && ku[DIGITAL_SIGNATURE]
          ? Optional.empty() : Optional.of("its key usage lacks digitalSignature");
      case ENCRYPTION -> ku.length > KEY_ENCIPHERMENT && ku[KEY_ENCIPHERMENT]
          ? Optional.empty() : Optional.of("its key usage lacks keyEncipherment");
    };
  }
}
