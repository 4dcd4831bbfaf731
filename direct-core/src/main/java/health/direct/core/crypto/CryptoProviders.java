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
 * globally): the Amazon Corretto Crypto Provider (OpenSSL-class RSA) for RSA operations where its
 * native library loads; the JDK's own providers for AES-CBC and SHA (CPU intrinsics) and as the
 * RSA fall-back, and for AES-GCM content of messages small enough to hold while the tag is
 * checked; Bouncy Castle's provider for larger AES-GCM content, which it streams, built on first
 * use. Bouncy Castle's CMS classes run on top of whichever provider is chosen.
 *
 * <pre>{@code
 * CryptoProviders p = CryptoProviders.detect();
 * p.fastRsa();                       // ACCP when its native library loads, else empty (JDK providers)
 * p.forFastRsa(privateKey);          // that key as ACCP holds it natively
 * }</pre>
 */
public final class CryptoProviders {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);
  private static volatile CryptoProviders detected;

  private final Provider fastRsa;
  private final Map<PrivateKey, PrivateKey> nativeKeys = new ConcurrentHashMap<>();

  /** Built on first use: registering all of Bouncy Castle's algorithms takes most of a second. */
  private static final class BouncyCastle {
    static final Provider INSTANCE = new BouncyCastleProvider();
  }

  private CryptoProviders(Provider fastRsa) {
    this.fastRsa = fastRsa;
  }

  /** Detects what is available. Cached: loading native code once is enough. */
  public static CryptoProviders detect() {
    CryptoProviders p = detected;
    if (p == null) {
      synchronized (CryptoProviders.class) {
        p = detected;
        if (p == null) {
          p = new CryptoProviders(loadAccp().orElse(null));
          detected = p;
        }
      }
    }
    return p;
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
   * of buffering the whole message until the tag is checked (see {@link #jdkCipher()} for the
   * small-message case).
   */
  public Provider contentCipher(boolean authenticated) {
    Provider sunJce = java.security.Security.getProvider("SunJCE");
    return authenticated || sunJce == null ? BouncyCastle.INSTANCE : sunJce;
  }

  /** The JDK's cipher provider (SunJCE) when present: AES with AES-NI and GCM with carry-less multiplication. */
  public Optional<Provider> jdkCipher() {
    return Optional.ofNullable(java.security.Security.getProvider("SunJCE"));
  }

  /** A short description for diagnostics, e.g. "RSA: AmazonCorrettoCryptoProvider 2.5.0". */
  public String describe() {
    return "RSA: " + (fastRsa == null ? "JDK (SunRsaSign)" : fastRsa.getName() + " " + fastRsa.getVersionStr())
        + "; AES-CBC/SHA: JDK (SunJCE, SUN); AES-GCM: JDK up to 16 MiB, Bouncy Castle above; CMS: Bouncy Castle "
        + Optional.ofNullable(BouncyCastleProvider.class.getPackage().getImplementationVersion()).orElse("");
  }
}
