package health.direct.core.smime;

import health.direct.core.cert.CertificateNames;
import health.direct.core.DirectException;
import health.direct.core.FaultWords;
import health.direct.core.Problem;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.io.SecureFiles;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import health.direct.core.mime.MalformedEncodingException;
import health.direct.core.mime.Region;
import health.direct.core.mime.MimeLayout;
import health.direct.core.mime.PeekableInputStream;
import health.direct.core.mime.Base64DecodingInputStream;
import health.direct.core.mime.CrlfInputStream;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

/**
 * Decrypts and checks a received message, streaming through owner-only temporary files: unwraps
 * the base64 S/MIME entity, decrypts EnvelopedData (AES-CBC) or AuthEnvelopedData (AES-GCM) with
 * whichever local key matches a RecipientInfo (RSA PKCS#1 v1.5 or OAEP), then verifies a
 * multipart/signed against the bytes exactly as received (SM-01), or an opaque signed-data.
 * It states facts; {@code IncomingProcessor} decides trust.
 *
 * <pre>{@code
 * try (OpenedMessage m = new MessageOpener(CryptoProviders.detect(), workDir).open(file, keys)) {
 *   m.signers().get(0).intact();
 * }
 * }</pre>
 */
public final class MessageOpener {
  private static final int MAX_SIGNATURE_BYTES = 1024 * 1024;
  /** Encoded messages up to this size are decrypted into memory rather than a scratch file. */
  static final long IN_MEMORY_LIMIT = 1024 * 1024;
  /**
   * AES-GCM messages up to this encoded size are decrypted by the JDK's provider, which checks the
   * tag before releasing any plaintext; larger ones by Bouncy Castle's, which streams.
   */
  public static final long JDK_GCM_LIMIT = BulkGcmRecipient.JDK_LIMIT;
  private static final Map<String, String> DIGESTS = Map.of(
      "1.3.14.3.2.26", "SHA-1",
      "2.16.840.1.101.3.4.2.4", "SHA-224",
      "2.16.840.1.101.3.4.2.1", "SHA-256",
      "2.16.840.1.101.3.4.2.2", "SHA-384",
      "2.16.840.1.101.3.4.2.3", "SHA-512");

  private static final JcaSimpleSignerInfoVerifierBuilder VERIFIERS = new JcaSimpleSignerInfoVerifierBuilder();

  private final CryptoProviders providers;
  private final Path workDir;

  private final DigestCalculatorProvider digests;

  public MessageOpener(CryptoProviders providers, Path workDir) {
    this.providers = providers;
    this.workDir = workDir;
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("no message digests available", e);
    }
  }

  /**
   * Opens {@code file}.
   *
   * @throws DirectException {@link Problem#MALFORMED_INPUT} for broken MIME or CMS,
   *     {@link Problem#NO_DECRYPTION_KEY} when no local key matches
   */
  public OpenedMessage open(Path file, List<DecryptionKey> keys) {
    List<Path> temps = new ArrayList<>();
    try {
      Region whole = Region.of(file);
      MimeLayout.Headers outer = MimeLayout.readHeaders(whole, "the message");
      ContentType type = contentType(outer.headers(), "the message");
      Region outerBody = whole.slice(outer.bodyStart(), whole.end());
      if (type.match("multipart/signed")) {
        return OpenedMessage.unsecured(outer.headers(), true, temps);
      }
      if (!isPkcs7Mime(type)) {
        return OpenedMessage.unsecured(outer.headers(), false, temps);
      }
      String cte = Optional.ofNullable(outer.headers().getHeader("Content-Transfer-Encoding", null))
          .map(String::trim).orElse("7bit");
      Decrypted decrypted = decrypt(outerBody, cte, keys, temps);
      if (decrypted.opaqueSigned) {
        // an opaque signed-data travelled without encryption: read it, but it is still not secure
        return OpenedMessage.unsecured(outer.headers(), true, temps);
      }
      return inspectDecrypted(outer.headers(), decrypted, temps);
    } catch (DirectException e) {
      deleteAll(temps);
      throw e;
    } catch (java.nio.file.FileSystemException | UncheckedIOException e) {
      deleteAll(temps);
      throw new DirectException(Problem.IO, "cannot read " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      // the file opened; what fails after that is the content (truncated, badly encoded)
      deleteAll(temps);
      throw MalformedParts.of("the message", e);
    } catch (RuntimeException e) {
      // not the message's fault: a bug, reported as an internal error rather than as bad input
      deleteAll(temps);
      throw e;
    }
  }

  private record Decrypted(Region content, String encryption, String keyTransport, X509Certificate key,
      boolean opaqueSigned) {}

  private Decrypted decrypt(Region body, String cte, List<DecryptionKey> keys, List<Path> temps)
      throws IOException {
    try {
      return decrypt(body, cte, keys, temps, true);
    } catch (RuntimeException e) {
      if (!BulkGcmRecipient.isLateAad(e)) {
        throw e;
      }
      // authenticated attributes follow the content: only the streaming GCM can take them that late
      return decrypt(body, cte, keys, temps, false);
    }
  }

  private Decrypted decrypt(Region body, String cte, List<DecryptionKey> keys, List<Path> temps, boolean jdkGcm)
      throws IOException {
    try (PeekableInputStream in = cmsStream(body, cte)) {
      ASN1ObjectIdentifier cmsType = sniffContentType(in);
      if (CMSObjectIdentifiers.signedData.equals(cmsType)) {
        return new Decrypted(null, null, null, null, true);
      }
      boolean gcm = CMSObjectIdentifiers.authEnvelopedData.equals(cmsType);
      if (!gcm && !CMSObjectIdentifiers.envelopedData.equals(cmsType)) {
        throw new DirectException(Problem.MALFORMED_INPUT, "the S/MIME body holds CMS " + cmsType
            + ", neither enveloped-data nor authEnveloped-data");
      }
      RecipientInformationStore recipients;
      String encryption;
      if (gcm) {
        CMSAuthEnvelopedDataParser auth = new CMSAuthEnvelopedDataParser(in);
        recipients = auth.getRecipientInfos();
        encryption = EncryptionAlgorithm.labelFor(auth.getEncryptionAlgOID().getAlgorithm().getId());
      } else {
        CMSEnvelopedDataParser env = new CMSEnvelopedDataParser(in);
        recipients = env.getRecipientInfos();
        encryption = EncryptionAlgorithm.labelFor(env.getEncryptionAlgOID());
      }
      for (DecryptionKey key : keys) {
        RecipientInformation ri = recipients.get(new JceKeyTransRecipientId(key.certificate()));
        if (ri == null) {
          continue;
        }
        AlgorithmIdentifier kea = ri.getKeyEncryptionAlgorithm();
        CMSTypedStream content = ri.getContentStream(recipient(key, kea, gcm, body.length(), jdkGcm));
        Region plain;
        try (InputStream decryptedIn = content.getContentStream()) {
          plain = store(decryptedIn, body.length(), temps);
        }
        return new Decrypted(plain, encryption, keyTransportLabel(kea), key.certificate(), false);
      }
      throw new DirectException(Problem.NO_DECRYPTION_KEY, "no local key can decrypt this message: it is encrypted for "
          + describeRecipients(recipients.getRecipients()) + "; local keys: "
          + (keys.isEmpty() ? "none" : keys.stream().map(k -> CertificateNames.subject(k.certificate())
              + " serial " + k.certificate().getSerialNumber().toString(16)).toList()));
    } catch (CMSException e) {
      throw MalformedParts.of("the encrypted body (CMS enveloped-data)", e);
    } catch (IOException e) {
      if (e.getCause() instanceof CMSException || e.getClass().getName().contains("InvalidCipherText")
          || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("mac")) {
        throw new DirectException(Problem.MALFORMED_INPUT, "decryption failed: the content is damaged ("
            + FaultWords.scrub(FaultWords.rootMessage(e)) + ")", e);
      }
      if (e instanceof java.nio.file.FileSystemException) {
        throw e;
      }
      throw MalformedParts.of("the encrypted body (CMS enveloped-data)", e);
    } catch (DirectException | UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      if (BulkGcmRecipient.isLateAad(e)) {
        throw e;
      }
      // the streaming parsers signal malformed structure with unchecked exceptions
      throw MalformedParts.of("the encrypted body (CMS enveloped-data)", e);
    }
  }

  /** The CMS content type at the start of {@code in}, read without consuming it (one decoding pass in all). */
  private static ASN1ObjectIdentifier sniffContentType(PeekableInputStream in) {
    try {
      // ContentInfo ::= SEQUENCE { contentType OID, ... }: tag, length and OID fit in 64 bytes
      byte[] head = in.peek(64);
      return new ContentInfoParser((ASN1SequenceParser) new ASN1StreamParser(new java.io.ByteArrayInputStream(head))
          .readObject()).getContentType();
    } catch (IOException | RuntimeException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the S/MIME body is not CMS: it does not start with a"
          + " CMS content-info (" + MalformedParts.describe(e) + ")", e);
    }
  }

  private Recipient recipient(DecryptionKey key, AlgorithmIdentifier kea, boolean gcm, long sizeHint, boolean jdkGcm) {
    boolean fast = PKCSObjectIdentifiers.rsaEncryption.equals(kea.getAlgorithm()) && providers.fastRsa().isPresent();
    java.security.PrivateKey pk = fast ? providers.forFastRsa(key.privateKey()) : key.privateKey();
    JceKeyTransRecipient r = gcm ? new BulkGcmRecipient(pk, sizeHint,
        jdkGcm ? providers.jdkCipher() : Optional.empty())
        : new BulkCbcRecipient(pk, sizeHint);
    if (fast) {
      r.setProvider(providers.fastRsa().get()); // for the key and the content: the next line puts the content back
    }
    r.setContentProvider(providers.contentCipher(gcm));
    return r;
  }

  private static String keyTransportLabel(AlgorithmIdentifier kea) {
    if (PKCSObjectIdentifiers.rsaEncryption.equals(kea.getAlgorithm())) {
      return KeyTransport.RSA_PKCS1.label();
    }
    if (PKCSObjectIdentifiers.id_RSAES_OAEP.equals(kea.getAlgorithm())) {
      RSAESOAEPparams p = RSAESOAEPparams.getInstance(kea.getParameters());
      String hash = DIGESTS.getOrDefault(p.getHashAlgorithm().getAlgorithm().getId(),
          p.getHashAlgorithm().getAlgorithm().getId());
      return "RSAES-OAEP " + hash;
    }
    return kea.getAlgorithm().getId();
  }

  private OpenedMessage inspectDecrypted(InternetHeaders outer, Decrypted d, List<Path> temps) throws IOException {
    Region entity = d.content();
    MimeLayout.Headers h = MimeLayout.readHeaders(entity, "the decrypted content");
    ContentType type = contentType(h.headers(), "the decrypted content");
    if (type.match("multipart/signed")) {
      return multipartSigned(outer, d, entity, h, type, temps);
    }
    if (isPkcs7Mime(type)) {
      return opaqueSigned(outer, d, h, temps);
    }
    // encrypted but not signed: keep the facts, the processor calls it unsecured (AS-12)
    return new OpenedMessage(outer, true, d.encryption(), d.keyTransport(), d.key(), false, List.of(), List.of(),
        entity, h.headers(), h.bodyStart(), temps);
  }

  private OpenedMessage multipartSigned(InternetHeaders outer, Decrypted d, Region entity, MimeLayout.Headers h,
      ContentType type, List<Path> temps) throws IOException {
    String boundary = type.getParameter("boundary");
    if (boundary == null || boundary.isEmpty()) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the multipart/signed has no boundary parameter");
    }
    List<MimeLayout.Part> parts = MimeLayout.parts(entity.slice(h.bodyStart(), entity.end()), boundary,
        "the multipart/signed");
    if (parts.size() != 2) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the multipart/signed has " + parts.size()
          + " parts; exactly two are required (content and signature)");
    }
    Region signedPart = entity.slice(parts.get(0).start(), parts.get(0).end());
    Region sigPart = entity.slice(parts.get(1).start(), parts.get(1).end());
    byte[] signature = readSignaturePart(sigPart);
    Verification v = verifyDetached(signedPart, signature, false);
    if (v.signers.stream().noneMatch(SignerCheck::intact) && containsBareLf(signedPart)) {
      Verification canonical = verifyDetached(signedPart, signature, true);
      if (canonical.signers.stream().anyMatch(SignerCheck::intact)) {
        v = canonical;
      }
    }
    MimeLayout.Headers partHeaders = MimeLayout.readHeaders(signedPart, "the signed content");
    return new OpenedMessage(outer, true, d.encryption(), d.keyTransport(), d.key(), true, v.signers, v.certificates,
        signedPart, partHeaders.headers(), partHeaders.bodyStart(), temps);
  }

  @SuppressWarnings("unchecked")
  private OpenedMessage opaqueSigned(InternetHeaders outer, Decrypted d, MimeLayout.Headers h, List<Path> temps)
      throws IOException {
    String cte = Optional.ofNullable(h.headers().getHeader("Content-Transfer-Encoding", null)).orElse("7bit").trim();
    Region entity = d.content();
    Region region;
    List<SignerCheck> checks;
    List<X509Certificate> certs;
    try (InputStream in = cmsStream(entity.slice(h.bodyStart(), entity.end()), cte)) {
      CMSSignedDataParser parser = new CMSSignedDataParser(digests(), in);
      try (InputStream c = parser.getSignedContent().getContentStream()) {
        region = store(c, entity.length(), temps);
      }
      Store<X509CertificateHolder> store = parser.getCertificates();
      Map<X509CertificateHolder, X509Certificate> converted = certificates(store);
      certs = List.copyOf(converted.values());
      checks = checkSigners(parser.getSignerInfos().getSigners(), store, converted);
    } catch (CMSException | MalformedEncodingException e) {
      throw MalformedParts.of("the signed-data", e);
    } catch (DirectException | UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw MalformedParts.of("the signed-data", e);
    }
    MimeLayout.Headers inner = MimeLayout.readHeaders(region, "the signed content");
    return new OpenedMessage(outer, true, d.encryption(), d.keyTransport(), d.key(), true, checks, certs,
        region, inner.headers(), inner.bodyStart(), temps);
  }

  private record Verification(List<SignerCheck> signers, List<X509Certificate> certificates) {}

  @SuppressWarnings("unchecked")
  private Verification verifyDetached(Region signedPart, byte[] signature, boolean canonicalise) throws IOException {
    try (InputStream raw = signedPart.open()) {
      InputStream content = canonicalise ? new CrlfInputStream(raw) : raw;
      // the parser reads the signature a byte at a time: from a stream without locking
      CMSSignedDataParser parser = new CMSSignedDataParser(digests(), new CMSTypedStream(content),
          new PeekableInputStream(new ByteArrayInputStream(signature), signature.length));
      parser.getSignedContent().drain();
      Store<X509CertificateHolder> store = parser.getCertificates();
      Map<X509CertificateHolder, X509Certificate> certs = certificates(store);
      return new Verification(checkSigners(parser.getSignerInfos().getSigners(), store, certs),
          List.copyOf(certs.values()));
    } catch (CMSException | MalformedEncodingException e) {
      throw MalformedParts.of("the detached signature", e);
    } catch (DirectException | UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw MalformedParts.of("the detached signature", e);
    }
  }

  private List<SignerCheck> checkSigners(Collection<SignerInformation> signers, Store<X509CertificateHolder> certs,
      Map<X509CertificateHolder, X509Certificate> converted) {
    List<SignerCheck> out = new ArrayList<>();
    for (SignerInformation si : signers) {
      String digestOid = si.getDigestAlgOID();
      String digest = DIGESTS.getOrDefault(digestOid, digestOid);
      boolean legacy = "SHA-1".equals(digest);
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> matches = certs.getMatches(si.getSID());
      if (matches.isEmpty()) {
        out.add(new SignerCheck(Optional.empty(), digest, legacy, false,
            "the signature does not carry the signer's certificate"));
        continue;
      }
      X509CertificateHolder holder = matches.iterator().next();
      X509Certificate cert = converted.get(holder);
      if (cert == null) {
        out.add(new SignerCheck(Optional.empty(), digest, legacy, false,
            "the signer's certificate cannot be read by the certificate factory"));
        continue;
      }
      try {
        // verify with the bare key: validity at signing time is judged by path validation, not here
        boolean ok = verify(si, cert);
        out.add(new SignerCheck(Optional.of(cert), digest, legacy, ok, ok ? null
            : "the signature does not match the content: the message was altered after signing"));
      } catch (CMSException e) {
        out.add(new SignerCheck(Optional.of(cert), digest, legacy, false,
            "the signature does not match the content: the message was altered after signing ("
                + FaultWords.scrub(FaultWords.rootMessage(e)) + ")"));
      } catch (OperatorCreationException e) {
        out.add(new SignerCheck(Optional.empty(), digest, legacy, false,
            "the signer's certificate cannot be used: " + FaultWords.scrub(e.getMessage())));
      } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
        // thrown by the parser for a signer-info whose encoding is broken
        out.add(new SignerCheck(Optional.of(cert), digest, legacy, false,
            "the signature cannot be checked: its signer information is malformed"));
      }
    }
    return out;
  }

  /**
   * Checks one signature with the signer's bare key. RSA keys go to the native provider first (the
   * JDK's does two big-integer public operations per signer); anything it cannot do, or a signature
   * it rejects, is checked again by the JDK's, so the answer never depends on which provider ran.
   */
  private boolean verify(SignerInformation si, X509Certificate cert) throws CMSException, OperatorCreationException {
    if (providers.fastRsa().isPresent() && "RSA".equals(cert.getPublicKey().getAlgorithm())) {
      try {
        if (si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(providers.fastRsa().get())
            .build(cert.getPublicKey()))) {
          return true;
        }
      } catch (CMSException | OperatorCreationException | RuntimeException e) {
        // fall through to the JDK's provider, which decides
      }
    }
    return si.verify(VERIFIERS.build(cert.getPublicKey()));
  }

  private static X509Certificate safeCert(JcaX509CertificateConverter conv, X509CertificateHolder h) {
    try {
      return conv.getCertificate(h);
    } catch (CertificateException e) {
      return null;
    }
  }

  /** Every certificate the signature carries that the JDK can read, converted once, in order. */
  private static Map<X509CertificateHolder, X509Certificate> certificates(Store<X509CertificateHolder> store) {
    Map<X509CertificateHolder, X509Certificate> out = new LinkedHashMap<>();
    JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
    for (X509CertificateHolder h : store.getMatches(null)) {
      X509Certificate c = safeCert(conv, h);
      if (c != null) {
        out.put(h, c);
      }
    }
    return out;
  }

  private static byte[] readSignaturePart(Region sigPart) throws IOException {
    MimeLayout.Headers h = MimeLayout.readHeaders(sigPart, "the signature part");
    ContentType type = contentType(h.headers(), "the signature part");
    String base = type.getBaseType().toLowerCase(Locale.ROOT);
    if (!base.equals("application/pkcs7-signature") && !base.equals("application/x-pkcs7-signature")) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the second part of the multipart/signed is " + base
          + ", not application/pkcs7-signature");
    }
    if (sigPart.end() - h.bodyStart() > MAX_SIGNATURE_BYTES * 2L) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the signature part is larger than "
          + MAX_SIGNATURE_BYTES / 1024 + " KiB");
    }
    String cte = Optional.ofNullable(h.headers().getHeader("Content-Transfer-Encoding", null)).orElse("7bit").trim();
    Region body = sigPart.slice(h.bodyStart(), sigPart.end());
    try (InputStream in = decode(body.open(), cte, body.length())) {
      return in.readAllBytes();
    } catch (MalformedEncodingException e) {
      throw MalformedParts.of("the signature part", e);
    }
  }

  private static boolean containsBareLf(Region region) throws IOException {
    try (InputStream in = region.open()) {
      int prev = -1;
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n' && prev != '\r') {
          return true;
        }
        prev = b;
      }
    }
    return false;
  }

  private static PeekableInputStream cmsStream(Region body, String cte) throws IOException {
    int size = (int) Math.max(1024, Math.min(64 * 1024, body.length()));
    return new PeekableInputStream(decode(body.open(), cte, body.length()), size);
  }

  private static InputStream decode(InputStream in, String cte, long length) throws IOException {
    String enc = cte.toLowerCase(Locale.ROOT);
    if (enc.equals("7bit") || enc.equals("8bit") || enc.equals("binary")) {
      return in;
    }
    if (enc.equals("base64")) {
      // tolerant of line lengths and stray white space, streaming, decoded in bulk
      return new Base64DecodingInputStream(in, length);
    }
    try {
      return MimeUtility.decode(in, enc);
    } catch (MessagingException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "unknown Content-Transfer-Encoding '" + cte + "'", e);
    }
  }

  private static boolean isPkcs7Mime(ContentType type) {
    return type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime");
  }

  private static ContentType contentType(InternetHeaders h, String what) {
    String raw = h.getHeader("Content-Type", null);
    if (raw == null) {
      try {
        return new ContentType("text/plain");
      } catch (ParseException e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      return new ContentType(raw);
    } catch (ParseException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, what + " has an unparsable Content-Type '" + raw + "'", e);
    }
  }

  private DigestCalculatorProvider digests() {
    return digests;
  }

  /**
   * Keeps decrypted content: in memory when the encoded input was small (no file to create and
   * delete, and no plaintext on disk at all), else in an owner-only scratch file under the work
   * folder, so memory use stays flat for large messages.
   */
  private Region store(InputStream content, long encodedLength, List<Path> temps) throws IOException {
    if (encodedLength <= IN_MEMORY_LIMIT) {
      return Region.of(content.readAllBytes());
    }
    Path p = SecureFiles.privateTempFile(workDir, "open-");
    temps.add(p);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 64 * 1024)) {
      content.transferTo(out);
    }
    return Region.of(p);
  }

  private static void deleteAll(List<Path> temps) {
    temps.forEach(SecureFiles::deleteQuietly);
  }

  private static String describeRecipients(Collection<RecipientInformation> ris) {
    List<String> out = new ArrayList<>();
    for (RecipientInformation ri : ris) {
      if (ri.getRID() instanceof org.bouncycastle.cms.KeyTransRecipientId k && k.getIssuer() != null) {
        out.add("serial " + k.getSerialNumber().toString(16) + " issued by " + k.getIssuer());
      } else {
        out.add("a recipient identified by key identifier");
      }
    }
    return out.isEmpty() ? "nobody" : String.join(", ", out);
  }
}
