package health.direct.core.incoming;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.Fixture;
import health.direct.core.Problem;
import health.direct.core.outgoing.OutgoingProcessor;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed S/MIME is named in words (which part, what is wrong) as malformed input (exit 4),
 * never by a parser's class name, and never mistaken for a bug or for a disk error.
 */
class MalformedInputTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
  static final TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
  static final Fixture fx = new Fixture(pki);
  static final String HEADERS = "From: alice@hospital.example\r\nTo: bob@clinic.example\r\nMIME-Version: 1.0\r\n"
      + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
      + "Content-Transfer-Encoding: base64\r\n\r\n";

  @TempDir
  Path dir;

  @BeforeAll
  static void publish() {
    fx.publish("bob@clinic.example", bob.certificate());
  }

  @Test
  void corruptBase64IsMalformedInputNamingBase64() throws Exception {
    String sealed = sealedText();
    int firstLineEnd = sealed.indexOf("\r\n", sealed.indexOf("\r\n\r\n") + 4);
    // a single character then padding, at a group boundary: no decoder can make bytes of that
    String broken = sealed.substring(0, firstLineEnd) + "Q=" + sealed.substring(firstLineEnd);
    OpenResult r = open(broken);
    assertMalformed(r);
    assertThat(r.reason()).contains("base64");
  }

  @Test
  void truncatedCmsIsMalformedInputSayingItEndsTooEarly() throws Exception {
    byte[] der = der(sealedText());
    OpenResult r = open(HEADERS + base64(java.util.Arrays.copyOf(der, der.length / 2)));
    assertMalformed(r);
    assertThat(r.reason()).contains("ends too early");
  }

  @Test
  void envelopedDataWithTheWrongStructureIsMalformedInput() throws Exception {
    for (ASN1Encodable content : new ASN1Encodable[] {new ASN1Integer(7), new DERSequence(new ASN1Integer(0)),
        new DERSequence(new ASN1Encodable[] {new ASN1Integer(0), new DERTaggedObject(false, 1, new ASN1Integer(2))}),
        new DEROctetString(new byte[] {1, 2, 3})}) {
      byte[] der = new ContentInfo(CMSObjectIdentifiers.envelopedData, content).getEncoded("DER");
      OpenResult r = open(HEADERS + base64(der));
      assertMalformed(r);
      assertThat(r.reason()).contains("the encrypted body");
    }
  }

  @Test
  void everySingleByteDamageToTheEnvelopeGetsAVerdictInWordsAndNeverABug() throws Exception {
    byte[] der = der(sealedText());
    Random random = new Random(20261202L);
    for (int i = 0; i < 150; i++) {
      byte[] damaged = der.clone();
      // the header and recipient info hold the structure; damage there most often
      int at = i < 100 ? random.nextInt(Math.min(600, der.length)) : random.nextInt(der.length);
      damaged[at] ^= (byte) (1 + random.nextInt(255));
      OpenResult r = open(HEADERS + base64(damaged));
      assertThat(r.reason()).as("byte %d", at).doesNotContainPattern("Exception|org\\.bouncycastle|java\\.");
      if (r instanceof OpenResult.Failed f) {
        assertThat(f.kind()).as("byte %d: %s", at, f.reason())
            .isIn(Problem.MALFORMED_INPUT, Problem.NO_DECRYPTION_KEY);
      }
    }
  }

  private static void assertMalformed(OpenResult r) {
    assertThat(r).as(r.reason()).isInstanceOf(OpenResult.Failed.class);
    assertThat(r.problem()).as(r.reason()).contains(Problem.MALFORMED_INPUT);
    assertThat(r.reason()).doesNotContainPattern("Exception|org\\.bouncycastle|java\\.|null");
  }

  private OpenResult open(String message) throws Exception {
    Path p = Files.writeString(dir.resolve("m-" + System.nanoTime() + ".eml"), message, StandardCharsets.ISO_8859_1);
    return fx.receiver(dir.resolve("w"), bob).open(p, Optional.empty());
  }

  private String sealedText() throws Exception {
    Path plain = Files.writeString(dir.resolve("plain.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: s\r\nMessage-ID: <m1@hospital.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n"
        + "Dose: 5 mg\r\n".repeat(50));
    Path out = dir.resolve("sealed.eml");
    OutgoingProcessor sender = fx.sender(alice);
    try (OutputStream os = Files.newOutputStream(out)) {
      sender.seal(plain, os);
    }
    return Files.readString(out, StandardCharsets.ISO_8859_1);
  }

  private static byte[] der(String sealed) {
    return Base64.getMimeDecoder().decode(sealed.substring(sealed.indexOf("\r\n\r\n") + 4).trim());
  }

  private static String base64(byte[] der) {
    return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\r\n";
  }
}
