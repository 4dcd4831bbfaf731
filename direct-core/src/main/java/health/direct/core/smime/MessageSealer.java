package health.direct.core.smime;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.mime.Base64EncodingOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;

/**
 * Signs then encrypts one MIME entity into a Direct message (AS-03, SM-01..SM-04), streaming: the
 * content passes once through the signature digest and the cipher on its way to the output, so
 * memory stays flat whatever the size.
 *
 * <p>Output layout: the given outer headers, then {@code application/pkcs7-mime;
 * smime-type=enveloped-data} (or {@code authEnveloped-data} for GCM) in base64, holding a
 * {@code multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256} with the
 * content first and a detached SHA-256 SignedData (with the signer's chain) second.
 *
 * <pre>{@code
 * new MessageSealer(CryptoProviders.detect()).seal(outerHeaders, wrappedEntity, signer,
 *     List.of(bobCert, aliceCert), EncryptionAlgorithm.AES256_CBC, KeyTransport.RSA_PKCS1, out);
 * }</pre>
 */
public final class MessageSealer {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final int BUFFER = 64 * 1024;
  /** Parsed certificates and recipient generators are kept for this many certificates at most. */
  private static final int CACHE_LIMIT = 1024;
  private final CryptoProviders providers;
  private final SecureRandom random = new SecureRandom();
  // Converting a certificate to Bouncy Castle's form re-parses it; a sender seals for the same few
  // certificates again and again, so each is converted once. Both caches are safe to share: a
  // recipient generator makes a new Cipher for every message.
  private final Map<X509Certificate, X509CertificateHolder> holders = new ConcurrentHashMap<>();
  private final Map<RecipientKey, RecipientInfoGenerator> recipientInfos = new ConcurrentHashMap<>();

  private record RecipientKey(X509Certificate certificate, KeyTransport keyTransport) {}
  private final DigestCalculatorProvider digests;

  public MessageSealer(CryptoProviders providers) {
    this.providers = providers;
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("no message digests available", e);
    }
  }

  /**
   * Writes the sealed message to {@code out} (not closed).
   *
   * @param outerHeaders complete header lines (without line ends) for the outer message, except
   *     the Content-* and MIME-Version lines, which this adds
   * @param content the entity to sign, with CRLF line ends and 7-bit-safe or 8bit encodings
   * @param recipients every certificate to encrypt for (include the sender's own for the sent copy)
   */
  public void seal(List<String> outerHeaders, MimeEntityWriter content, SigningIdentity signer,
      List<X509Certificate> recipients, EncryptionAlgorithm encryption, KeyTransport keyTransport,
      OutputStream out) {
    if (recipients.isEmpty()) {
      throw new DirectException(Problem.NO_TRUSTED_RECIPIENT, "nothing to encrypt for: no recipient certificate");
    }
    try {
      // buffers sized to the message: allocating 64 KiB ones for a 1 KiB message cost more than filling them
      int buffer = content.sizeHint() < 0 ? BUFFER : (int) Math.max(4096, Math.min(BUFFER, content.sizeHint() * 3 / 2));
      BufferedOutputStream buffered = new BufferedOutputStream(out, buffer); // flushed, never closed: out is the caller's
      for (String h : outerHeaders) {
        ascii(buffered, h);
        buffered.write(CRLF);
      }
      String smimeType = encryption.authenticated() ? "authEnveloped-data" : "enveloped-data";
      ascii(buffered, "MIME-Version: 1.0\r\n"
          + "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=\"smime.p7m\"\r\n"
          + "Content-Transfer-Encoding: base64\r\n"
          + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n");
      OutputStream base64 = new Base64EncodingOutputStream(buffered, buffer);
      try (OutputStream envelope = new BufferedOutputStream(
          openEnvelope(base64, recipients, encryption, keyTransport, buffer), buffer)) {
        writeSigned(envelope, content, signer);
      }
      base64.close();
      buffered.write(CRLF);
      buffered.flush();
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot write the sealed message: " + e.getMessage(), e);
    } catch (CMSException | GeneralSecurityException | OperatorCreationException e) {
      throw new DirectException(Problem.INTERNAL, "cannot seal the message: " + e.getMessage(), e);
    }
  }

  private OutputStream openEnvelope(OutputStream sink, List<X509Certificate> recipients,
      EncryptionAlgorithm encryption, KeyTransport keyTransport, int buffer)
      throws CMSException, GeneralSecurityException, IOException {
    if (encryption.authenticated()) {
      CMSAuthEnvelopedDataStreamGenerator gen = new CMSAuthEnvelopedDataStreamGenerator();
      gen.setBufferSize(buffer);
      for (X509Certificate r : recipients) {
        gen.addRecipientInfoGenerator(recipientInfo(r, keyTransport));
      }
      OutputAEADEncryptor enc = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(new ASN1ObjectIdentifier(encryption.oid()))
          .setSecureRandom(random).build();
      return gen.open(sink, enc);
    }
    CMSEnvelopedDataStreamGenerator gen = new CMSEnvelopedDataStreamGenerator();
    gen.setBufferSize(buffer);
    for (X509Certificate r : recipients) {
      gen.addRecipientInfoGenerator(recipientInfo(r, keyTransport));
    }
    OutputEncryptor enc = new JceCMSContentEncryptorBuilder(new ASN1ObjectIdentifier(encryption.oid())).setSecureRandom(random).build();
    return gen.open(sink, enc);
  }

  private RecipientInfoGenerator recipientInfo(X509Certificate cert, KeyTransport kt)
      throws GeneralSecurityException {
    RecipientKey key = new RecipientKey(cert, kt);
    RecipientInfoGenerator cached = recipientInfos.get(key);
    if (cached != null) {
      return cached;
    }
    RecipientInfoGenerator made = newRecipientInfo(cert, kt);
    bounded(recipientInfos).put(key, made);
    return made;
  }

  private RecipientInfoGenerator newRecipientInfo(X509Certificate cert, KeyTransport kt)
      throws GeneralSecurityException {
    if (kt == KeyTransport.RSA_OAEP_SHA256) {
      OAEPParameterSpec spec = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
          PSource.PSpecified.DEFAULT);
      return new JceKeyTransRecipientInfoGenerator(cert,
          new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, spec));
    }
    JceKeyTransRecipientInfoGenerator g = new JceKeyTransRecipientInfoGenerator(cert);
    if (providers.fastRsa().isPresent() && "RSA".equals(cert.getPublicKey().getAlgorithm())) {
      g.setProvider(providers.fastRsa().get());
    }
    return g;
  }

  private void writeSigned(OutputStream envelope, MimeEntityWriter content, SigningIdentity signer)
      throws IOException, CMSException, OperatorCreationException, GeneralSecurityException {
    String boundary = newBoundary();
    ascii(envelope, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;\r\n"
        + "\tboundary=\"" + boundary + "\"\r\n\r\n"
        + "This is an S/MIME signed message.\r\n--" + boundary + "\r\n");
    CMSSignedDataStreamGenerator gen = new CMSSignedDataStreamGenerator();
    List<X509CertificateHolder> chain = new ArrayList<>();
    for (X509Certificate c : signer.chain()) {
      chain.add(holder(c));
    }
    gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests).build(contentSigner(signer), chain.get(0)));
    gen.addCertificates(new CollectionStore<>(chain));
    ByteArrayOutputStream signature = new ByteArrayOutputStream(4096);
    try (OutputStream digestSide = gen.open(signature, false);
         OutputStream both = new TeeOutputStream(envelope, digestSide)) {
      content.writeTo(both);
      both.flush();
    }
    ascii(envelope, "\r\n--" + boundary + "\r\n"
        + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n");
    ascii(envelope, Base64.getMimeEncoder(76, CRLF).encodeToString(signature.toByteArray()));
    ascii(envelope, "\r\n--" + boundary + "--\r\n");
  }

  private ContentSigner contentSigner(SigningIdentity signer) throws OperatorCreationException {
    String keyAlg = signer.privateKey().getAlgorithm();
    if ("EC".equals(keyAlg) || "ECDSA".equals(keyAlg)) {
      return new JcaContentSignerBuilder("SHA256withECDSA").build(signer.privateKey());
    }
    JcaContentSignerBuilder b = new JcaContentSignerBuilder("SHA256withRSA");
    if (providers.fastRsa().isPresent()) {
      try {
        return b.setProvider(providers.fastRsa().get()).build(providers.forFastRsa(signer.privateKey()));
      } catch (OperatorCreationException | RuntimeException e) {
        // the native provider refused this key: the JDK's is always there
        b = new JcaContentSignerBuilder("SHA256withRSA");
      }
    }
    return b.build(signer.privateKey());
  }

  private X509CertificateHolder holder(X509Certificate c) throws CertificateEncodingException {
    X509CertificateHolder h = holders.get(c);
    if (h == null) {
      try {
        h = new X509CertificateHolder(c.getEncoded());
      } catch (IOException e) {
        throw new CertificateEncodingException("cannot re-read the certificate " + c.getSubjectX500Principal(), e);
      }
      bounded(holders).put(c, h);
    }
    return h;
  }

  /** The map, emptied first if it has reached the cache limit (a simple bound; refilling is cheap). */
  private static <K, V> Map<K, V> bounded(Map<K, V> cache) {
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    return cache;
  }

  private String newBoundary() {
    byte[] r = new byte[18];
    random.nextBytes(r);
    return "----=_direct_" + Base64.getUrlEncoder().withoutPadding().encodeToString(r);
  }

  private static void ascii(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
  }
}
