package health.direct.core.smime;

import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.operator.InputDecryptor;

/**
 * Bouncy Castle's key-transport recipient for EnvelopedData, except that AES-CBC content is
 * decrypted through {@link BulkCipherInputStream}. Bouncy Castle still unwraps the content key
 * (with its key-size checks); only the stream around the JCE cipher differs. Other content
 * algorithms go to Bouncy Castle unchanged.
 */
final class BulkCbcRecipient extends JceKeyTransEnvelopedRecipient {
  private static final Set<ASN1ObjectIdentifier> AES_CBC = Set.of(
      NISTObjectIdentifiers.id_aes128_CBC, NISTObjectIdentifiers.id_aes192_CBC, NISTObjectIdentifiers.id_aes256_CBC);

  private final long sizeHint;
  private Provider contentProvider;

  /** @param sizeHint about how many bytes the encrypted content has, to size the buffers */
  BulkCbcRecipient(PrivateKey key, long sizeHint) {
    super(key);
    this.sizeHint = sizeHint;
  }

  /** As in Bouncy Castle, the provider named here serves the content too unless one is set for it. */
  @Override
  public BulkCbcRecipient setProvider(Provider provider) {
    super.setProvider(provider);
    this.contentProvider = provider;
    return this;
  }

  @Override
  public BulkCbcRecipient setContentProvider(Provider provider) {
    super.setContentProvider(provider);
    this.contentProvider = provider;
    return this;
  }

  @Override
  public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
      AlgorithmIdentifier contentEncryptionAlgorithm, byte[] encryptedContentEncryptionKey) throws CMSException {
    if (!AES_CBC.contains(contentEncryptionAlgorithm.getAlgorithm())) {
      return super.getRecipientOperator(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentEncryptionKey);
    }
    Key secret = extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentEncryptionKey);
    if (secret.getEncoded() == null) {
      // a key that stays in its token: let Bouncy Castle use it as it is
      return super.getRecipientOperator(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentEncryptionKey);
    }
    Cipher cipher;
    try {
      byte[] iv = ASN1OctetString.getInstance(contentEncryptionAlgorithm.getParameters()).getOctets();
      cipher = contentProvider == null ? Cipher.getInstance("AES/CBC/PKCS5Padding")
          : Cipher.getInstance("AES/CBC/PKCS5Padding", contentProvider);
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(secret.getEncoded(), "AES"), new IvParameterSpec(iv));
    } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
      throw new CMSException("cannot set up AES-CBC decryption: " + e.getMessage(), e);
    }
    return new RecipientOperator(new InputDecryptor() {
      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return contentEncryptionAlgorithm;
      }

      @Override
      public InputStream getInputStream(InputStream encrypted) {
        return new BulkCipherInputStream(encrypted, cipher, sizeHint);
      }
    });
  }
}
