package health.direct.core.smime;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.InputStreamWithMAC;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.operator.InputAEADDecryptor;

/**
 * Bouncy Castle's key-transport recipient for AuthEnvelopedData, except that AES-GCM content up to
 * a size limit is decrypted by the JDK's provider through {@link BulkCipherInputStream}. Bouncy
 * Castle's provider runs AES in plain Java, fed 512 bytes at a time: a 10 MiB message took about
 * 150 ms to decrypt. The JDK's uses AES-NI and carry-less multiplication, but holds the whole
 * ciphertext until the tag is checked (no plaintext is released unverified), so larger content
 * stays with Bouncy Castle's streaming decryption and memory stays flat. The JDK's also takes
 * additional authenticated data only before the ciphertext, while CMS puts authenticated attributes
 * after it: such a message fails here with {@link LateAadException}, and the caller starts again
 * without the JDK's provider ({@link #isLateAad}).
 */
final class BulkGcmRecipient extends JceKeyTransAuthEnvelopedRecipient {
  /** Encoded messages up to this size are decrypted by the JDK's provider. */
  static final long JDK_LIMIT = 16L * 1024 * 1024;
  private static final Set<ASN1ObjectIdentifier> AES_GCM = Set.of(
      NISTObjectIdentifiers.id_aes128_GCM, NISTObjectIdentifiers.id_aes192_GCM, NISTObjectIdentifiers.id_aes256_GCM);

  private final long sizeHint;
  private final Optional<Provider> jdk;

  /**
   * @param sizeHint about how many bytes the encoded message has
   * @param jdk the provider for content up to {@link #JDK_LIMIT} (SunJCE); without it, Bouncy Castle's for all
   */
  BulkGcmRecipient(PrivateKey key, long sizeHint, Optional<Provider> jdk) {
    super(key);
    this.sizeHint = sizeHint;
    this.jdk = jdk;
  }

  /** Authenticated data arrived after the ciphertext, which the JDK's GCM cannot take. */
  static final class LateAadException extends RuntimeException {
    LateAadException(Throwable cause) {
      super("authenticated attributes after the content", cause);
    }
  }

  /** True if {@code e} or one of its causes is a {@link LateAadException}. */
  static boolean isLateAad(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LateAadException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
      AlgorithmIdentifier contentEncryptionAlgorithm, byte[] encryptedContentEncryptionKey) throws CMSException {
    if (jdk.isEmpty() || sizeHint > JDK_LIMIT || !AES_GCM.contains(contentEncryptionAlgorithm.getAlgorithm())) {
      return super.getRecipientOperator(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentEncryptionKey);
    }
    Key secret = extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentEncryptionKey);
    if (secret.getEncoded() == null) {
      // a key that stays in its token: let Bouncy Castle use it as it is
      return super.getRecipientOperator(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentEncryptionKey);
    }
    Cipher cipher;
    try {
      GCMParameters gcm = GCMParameters.getInstance(contentEncryptionAlgorithm.getParameters());
      cipher = Cipher.getInstance("AES/GCM/NoPadding", jdk.get());
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(secret.getEncoded(), "AES"),
          new GCMParameterSpec(gcm.getIcvLen() * 8, gcm.getNonce()));
    } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
      throw new CMSException("cannot set up AES-GCM decryption: " + e.getMessage(), e);
    }
    return new RecipientOperator(new InputAEADDecryptor() {
      private InputStream encrypted;

      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return contentEncryptionAlgorithm;
      }

      @Override
      public InputStream getInputStream(InputStream in) {
        encrypted = in; // Bouncy Castle hands the ciphertext with the tag appended
        return new BulkCipherInputStream(in, cipher, sizeHint);
      }

      @Override
      public OutputStream getAADStream() {
        return new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            try {
              cipher.updateAAD(b, off, len);
            } catch (IllegalStateException e) {
              throw new LateAadException(e);
            }
          }
        };
      }

      @Override
      public byte[] getMAC() {
        return encrypted instanceof InputStreamWithMAC withMac ? withMac.getMAC() : null;
      }
    });
  }
}
