package health.direct.core.incoming;

import health.direct.core.smime.MimeEntityWriter;
import health.direct.testkit.TestIdentity;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;

/** Test helpers that build or alter sealed messages the way an attacker or another client would. */
@SuppressWarnings("unchecked")
final class Reenvelope {
  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private Reenvelope() {}

  static MimeEntityWriter wrapped(String from, String to) {
    return out -> out.write(("Content-Type: message/rfc822\r\n\r\nFrom: " + from + "\r\nTo: " + to
        + "\r\nSubject: test\r\nMessage-ID: <t@x.example>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nhello\r\n")
        .getBytes(StandardCharsets.US_ASCII));
  }

  /** Decrypts with the recipient's key, replaces text inside the signed content, re-encrypts. */
  static Path alterInside(Path sealed, TestIdentity recipient, String find, String replace, Path dir) throws Exception {
    MimeMessage m = parse(sealed);
    String content = new String(decryptFor(m, recipient), StandardCharsets.ISO_8859_1);
    if (!content.contains(find)) {
      throw new IllegalStateException("'" + find + "' is not in the signed content");
    }
    byte[] altered = content.replace(find, replace).getBytes(StandardCharsets.ISO_8859_1);
    return write(m, encryptFor(recipient, altered), dir);
  }

  /**
   * Re-encrypts the same content for the recipient, then flips the top bit of the last byte of the
   * second-to-last ciphertext block. In CBC that flips the same bit of the last plaintext byte, the
   * padding length, which then exceeds 16: the padding check fails every time, not by chance.
   */
  static Path withBrokenPadding(Path sealed, TestIdentity recipient, Path dir) throws Exception {
    MimeMessage m = parse(sealed);
    byte[] der = encryptFor(recipient, decryptFor(m, recipient));
    der[der.length - 17] ^= (byte) 0x80; // DER: the encrypted content is the last thing in the structure
    return write(m, der, dir);
  }

  /**
   * Re-encrypts a GCM-sealed message's content for the recipient as AuthEnvelopedData that carries
   * authenticated attributes (RFC 5083 allows them for any content). They follow the encrypted
   * content in the structure, so a streaming reader meets the additional authenticated data only
   * after the ciphertext.
   */
  static Path gcmWithAuthenticatedAttributes(Path sealed, TestIdentity recipient, Path dir) throws Exception {
    MimeMessage m = parse(sealed);
    byte[] cms;
    try (InputStream in = m.getInputStream()) {
      cms = in.readAllBytes();
    }
    org.bouncycastle.cms.CMSAuthEnvelopedData env = new org.bouncycastle.cms.CMSAuthEnvelopedData(cms);
    byte[] content = null;
    for (RecipientInformation r : env.getRecipientInfos().getRecipients()) {
      if (r.getRID().match((Object) new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(recipient.certificate()))) {
        content = r.getContent(new org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient(recipient.privateKey())
            .setProvider(BC));
      }
    }
    org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator gen = new org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator();
    gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient.certificate()));
    org.bouncycastle.asn1.cms.AttributeTable attrs = new org.bouncycastle.asn1.cms.AttributeTable(
        new org.bouncycastle.asn1.cms.Attribute(org.bouncycastle.asn1.cms.CMSAttributes.signingTime,
            new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.cms.Time(new java.util.Date()))));
    gen.setAuthenticatedAttributeGenerator(new org.bouncycastle.cms.SimpleAttributeTableGenerator(attrs));
    byte[] der = gen.generate(new CMSProcessableByteArray(content),
        (org.bouncycastle.operator.OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
            .setProvider(BC).build()).getEncoded();
    return write(m, der, dir, "authEnveloped-data");
  }

  private static MimeMessage parse(Path sealed) throws Exception {
    try (InputStream in = Files.newInputStream(sealed)) {
      return new MimeMessage(Session.getInstance(new Properties()), in);
    }
  }

  private static byte[] decryptFor(MimeMessage m, TestIdentity recipient) throws Exception {
    byte[] cms;
    try (InputStream in = m.getInputStream()) {
      cms = in.readAllBytes();
    }
    CMSEnvelopedData env = new CMSEnvelopedData(cms);
    RecipientInformation ri = env.getRecipientInfos().getRecipients().iterator().next();
    for (RecipientInformation r : env.getRecipientInfos().getRecipients()) {
      if (r.getRID().match((Object) new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(recipient.certificate()))) {
        ri = r;
      }
    }
    return ri.getContent(new JceKeyTransEnvelopedRecipient(recipient.privateKey()));
  }

  private static byte[] encryptFor(TestIdentity recipient, byte[] content) throws Exception {
    CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
    gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient.certificate()));
    return gen.generate(new CMSProcessableByteArray(content),
        new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()).getEncoded();
  }

  private static Path write(MimeMessage m, byte[] der, Path dir) throws Exception {
    return write(m, der, dir, "enveloped-data");
  }

  private static Path write(MimeMessage m, byte[] der, Path dir, String smimeType) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(("From: " + m.getHeader("From", ",") + "\r\nTo: " + m.getHeader("To", ",")
        + "\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=" + smimeType
        + "; name=smime.p7m\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(Base64.getMimeEncoder().encode(der));
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    Path p = dir.resolve("tampered-" + System.nanoTime() + ".eml");
    Files.write(p, out.toByteArray());
    return p;
  }
}
