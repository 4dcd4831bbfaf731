package health.direct.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA providers the toolkit uses, chosen once and passed around explicitly (never installed
 * globally): Bouncy Castle for CMS structure and algorithms the JDK lacks; the Amazon Corretto
 * Crypto Provider (OpenSSL-class RSA) for RSA private-key operations where its native library
 * loads; otherwise the JDK's own providers, whose AES and SHA use CPU intrinsics.
 *
 * <pre>{@code
 * CryptoProviders p = CryptoProviders.detect();
 * p.rsaPrivate();   // ACCP when healthy, else SunRsaSign via null (JCA default)
 * }</pre>
 */
public final class CryptoProviders {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);
  private static volatile CryptoProviders detected;

  private final Provider bouncyCastle;
  private final Provider fastRsa;
  private final Map<PrivateKey, PrivateKey> nativeKeys = new ConcurrentHashMap<>();

  private CryptoProviders(Provider bouncyCastle, Provider fastRsa) {
    this.bouncyCastle = bouncyCastle;
    this.fastRsa = fastRsa;
  }

  /** Detects what is available. Cached: loading native code once is enough. */
  public static CryptoProviders detect() {
    CryptoProviders p = detected;
    if (p == null) {
      synchronized (CryptoProviders.class) {
        p = detected;
        if (p == null) {
          p = new CryptoProviders(new BouncyCastleProvider(), loadAccp().orElse(null));
          detected = p;
        }
      }
    }
    return p;
  }

  /** JDK providers only (no native code), e.g. to compare in benchmarks. */
  public static CryptoProviders jdkOnly() {
    return new CryptoProviders(new BouncyCastleProvider(), null);
  }

  private static Optional<Provider> loadAccp() {
    if (Boolean.getBoolean("direct.crypto.noNative")) {
      return Optional.empty();
    }
    try {
      com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
          com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
      if (accp.getLoadingError() != null) {
        LOG.debug("native crypto provider unavailable: {}", accp.getLoadingError().toString());
        return Optional.empty();
      }
      accp.assertHealthy();
      return Optional.of(accp);
    } catch (Throwable t) { // NoClassDefFoundError, UnsatisfiedLinkError on other platforms
      LOG.debug("native crypto provider unavailable: {}", t.toString());
      return Optional.empty();
    }
  }

  public Provider bouncyCastle() {
    return bouncyCastle;
  }

  /** The provider for RSA private-key operations (sign, PKCS#1 v1.5 decrypt), if a faster one loaded. */
  public Optional<Provider> fastRsa() {
    return Optional.ofNullable(fastRsa);
  }

  /**
   * The key as the fast RSA provider holds it natively, translated once and remembered: handing
   * it a JDK key makes it re-import the key (PKCS#8 parse) on every signature or decryption.
   * Returns {@code key} itself when there is no fast provider or the key is not RSA.
   */
  public PrivateKey forFastRsa(PrivateKey key) {
    if (fastRsa == null || !"RSA".equals(key.getAlgorithm())) {
      return key;
    }
    PrivateKey cached = nativeKeys.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      PrivateKey translated = (PrivateKey) KeyFactory.getInstance("RSA", fastRsa).translateKey(key);
      if (nativeKeys.size() > 256) {
        nativeKeys.clear();
      }
      nativeKeys.put(key, translated);
      return translated;
    } catch (GeneralSecurityException | RuntimeException e) {
      return key;
    }
  }

  /**
   * The provider for CMS content decryption: the JDK's for AES-CBC (AES-NI intrinsics); Bouncy
   * Castle's for AES-GCM, which knows the CMS algorithm identifiers and streams plaintext instead
   * of buffering the whole message until the tag is checked.
   */
  public Provider contentCipher(boolean authenticated) {
    if (authenticated) {
      return bouncyCastle;
    }
    Provider sunJce = java.security.Security.getProvider("SunJCE");
    return sunJce != null ? sunJce : bouncyCastle;
  }

  /** A short description for diagnostics, e.g. "RSA: AmazonCorrettoCryptoProvider 2.5.0". */
  public String describe() {
    return "RSA: " + (fastRsa == null ? "JDK (SunRsaSign)" : fastRsa.getName() + " " + fastRsa.getVersionStr())
        + "; AES/SHA: JDK (SunJCE, SUN); CMS: " + bouncyCastle.getName() + " " + bouncyCastle.getVersionStr();
  }
}
