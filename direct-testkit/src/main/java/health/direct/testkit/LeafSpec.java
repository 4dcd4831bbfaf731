package health.direct.testkit;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * What a test leaf certificate looks like: bound to an address (rfc822Name) or a domain (dNSName),
 * its key, validity, key usage and issuer. Immutable; the {@code with...} methods return copies.
 */
public record LeafSpec(String address, String domain, KeyType keyType, Instant notBefore, Instant notAfter,
    int keyUsage, TestCa issuer, boolean withRevocationInfo, boolean ocsp) {

  /** Key algorithms a test leaf can have. */
  public enum KeyType {
    RSA_2048, RSA_3072, RSA_4096, EC_P256;

    KeyPair generate() throws GeneralSecurityException {
      return switch (this) {
        case RSA_2048 -> TestPki.rsa(2048);
        case RSA_3072 -> TestPki.rsa(3072);
        case RSA_4096 -> TestPki.rsa(4096);
        case EC_P256 -> TestPki.ec("secp256r1");
      };
    }
  }

  public static final int SIGN_AND_ENCRYPT = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;

  public static LeafSpec address(String address) {
    return new LeafSpec(address, null, KeyType.RSA_2048, null, null, SIGN_AND_ENCRYPT, null, true, false);
  }

  /**
   * A TLS server certificate for mail or directory servers: every host name in the SAN (dNSName),
   * the first as CN.
   */
  public static LeafSpec tlsServer(String... hostNames) {
    return domain(String.join(",", hostNames));
  }

  public static LeafSpec domain(String domain) {
    return new LeafSpec(null, domain, KeyType.RSA_2048, null, null, SIGN_AND_ENCRYPT, null, true, false);
  }

  public LeafSpec withKeyType(KeyType type) {
    return new LeafSpec(address, domain, type, notBefore, notAfter,
        type == KeyType.EC_P256 ? KeyUsage.digitalSignature : keyUsage, issuer, withRevocationInfo, ocsp);
  }

  public LeafSpec withValidity(Instant from, Instant to) {
    return new LeafSpec(address, domain, keyType, from, to, keyUsage, issuer, withRevocationInfo, ocsp);
  }

  /** Key usage bits from {@link KeyUsage}; 0 leaves the extension out. */
  public LeafSpec withKeyUsage(int bits) {
    return new LeafSpec(address, domain, keyType, notBefore, notAfter, bits, issuer, withRevocationInfo, ocsp);
  }

  public LeafSpec issuedBy(TestCa ca) {
    return new LeafSpec(address, domain, keyType, notBefore, notAfter, keyUsage, ca, withRevocationInfo, ocsp);
  }

  public LeafSpec withoutRevocationInfo() {
    return new LeafSpec(address, domain, keyType, notBefore, notAfter, keyUsage, issuer, false, ocsp);
  }

  /** Names the issuer's OCSP responder in AIA (alone, when combined with {@link #withoutRevocationInfo}). */
  public LeafSpec withOcsp() {
    return new LeafSpec(address, domain, keyType, notBefore, notAfter, keyUsage, issuer, withRevocationInfo, true);
  }
}
