package health.direct.core.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Trust bundles and certificates in every format anchors and contacts arrive in (TR-02). */
class CertificateReaderTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final List<X509Certificate> both = List.of(pki.root().certificate(), pki.intermediate().certificate());

  static byte[] p7b() throws Exception {
    CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
    gen.addCertificates(new JcaCertStore(both));
    return gen.generate(new CMSAbsentContent()).getEncoded();
  }

  @Test
  void readsSeveralPemCertificatesFromOneFile() {
    byte[] pem = TestIdentity.pem(both.toArray()).getBytes(StandardCharsets.US_ASCII);
    assertThat(CertificateReader.read(pem, "bundle.pem")).containsExactlyElementsOf(both);
  }

  @Test
  void readsDer() throws Exception {
    assertThat(CertificateReader.readOne(pki.root().certificate().getEncoded(), "root.cer"))
        .isEqualTo(pki.root().certificate());
  }

  @Test
  void readsPkcs7BundlesInDerAndPem() throws Exception {
    byte[] der = p7b();
    assertThat(CertificateReader.read(der, "bundle.p7b")).containsExactlyInAnyOrderElementsOf(both);
    String pem = "-----BEGIN PKCS7-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END PKCS7-----\n";
    assertThat(CertificateReader.read(pem.getBytes(StandardCharsets.US_ASCII), "bundle.p7b.pem"))
        .containsExactlyInAnyOrderElementsOf(both);
  }

  @Test
  void errorsNameTheSourceAndTheProblem() {
    assertThatThrownBy(() -> CertificateReader.read(new byte[0], "empty.pem"))
        .isInstanceOf(CertificateParseException.class).hasMessageContaining("empty.pem").hasMessageContaining("empty");
    assertThatThrownBy(() -> CertificateReader.read("hello, not a certificate\n".getBytes(StandardCharsets.US_ASCII),
        "note.txt")).hasMessageContaining("note.txt").hasMessageContaining("BEGIN CERTIFICATE");
    assertThatThrownBy(() -> CertificateReader.read(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}, "junk.der"))
        .isInstanceOf(CertificateParseException.class).hasMessageContaining("junk.der");
    assertThatThrownBy(() -> CertificateReader.readOne(TestIdentity.pem(both.toArray())
        .getBytes(StandardCharsets.US_ASCII), "two.pem")).hasMessageContaining("expected one certificate, found 2");
  }
}
