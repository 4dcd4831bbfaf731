package health.direct.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import health.direct.core.Fixture;
import health.direct.core.incoming.OpenResult;
import health.direct.core.incoming.Verdict;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the independent {@code openssl cms} command, both ways: what we seal,
 * openssl decrypts and verifies against the test root; what openssl signs then encrypts (wrapped
 * and unwrapped, CBC and GCM, PKCS#1 v1.5 and OAEP) opens here as trusted.
 */
class OpensslInteropTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
  static final TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
  static final Fixture fx = new Fixture(pki);

  @TempDir
  Path dir;

  Path aliceCert;
  Path aliceKey;
  Path bobCert;
  Path bobKey;
  Path rootCert;
  Path chainCert;

  @BeforeAll
  static void pki() {
    fx.publish("bob@clinic.example", bob.certificate());
  }

  @BeforeEach
  void files() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    if (!ci) {
      assumeTrue(run(List.of("openssl", "version"), null).exit == 0, "openssl is not installed");
    }
    aliceCert = alice.writeCertificatePem(dir.resolve("alice.pem"));
    aliceKey = alice.writePrivateKeyPem(dir.resolve("alice.key"));
    bobCert = bob.writeCertificatePem(dir.resolve("bob.pem"));
    bobKey = bob.writePrivateKeyPem(dir.resolve("bob.key"));
    rootCert = Files.writeString(dir.resolve("root.pem"), TestIdentity.pem(pki.root().certificate()));
    chainCert = Files.writeString(dir.resolve("chain.pem"), TestIdentity.pem(pki.intermediate().certificate()));
  }

  static final String INNER = "From: alice@hospital.example\r\nTo: bob@clinic.example\r\nSubject: Referral\r\n"
      + "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <interop@hospital.example>\r\nMIME-Version: 1.0\r\n"
      + "Content-Type: text/plain; charset=us-ascii\r\n\r\nReferral letter body.\r\n";

  @Test
  void opensslDecryptsAndVerifiesWhatWeSeal() throws Exception {
    Path plain = Files.writeString(dir.resolve("plain.eml"), INNER);
    Path sealed = dir.resolve("sealed.eml");
    try (OutputStream os = Files.newOutputStream(sealed)) {
      fx.sender(alice).seal(plain, os);
    }
    Path decrypted = dir.resolve("decrypted.eml");
    Result dec = run(List.of("openssl", "cms", "-decrypt", "-in", sealed.toString(), "-recip", bobCert.toString(),
        "-inkey", bobKey.toString(), "-out", decrypted.toString()), null);
    assertThat(dec.exit).as(dec.output).isZero();
    assertThat(Files.readString(decrypted)).contains("multipart/signed").contains("micalg=sha-256");
    Path content = dir.resolve("content.eml");
    Result ver = run(List.of("openssl", "cms", "-verify", "-in", decrypted.toString(), "-CAfile", rootCert.toString(),
        "-out", content.toString()), null);
    assertThat(ver.exit).as(ver.output).isZero();
    assertThat(ver.output).contains("Verification successful");
    assertThat(Files.readString(content)).contains("Content-Type: message/rfc822").contains("Referral letter body.");
  }

  @Test
  void opensslWrappedCbcMessageOpensAsTrusted() throws Exception {
    assertOpensTrusted(opensslSeal("Content-Type: message/rfc822\r\n\r\n" + INNER, List.of("-aes256"), true), true);
  }

  @Test
  void opensslUnwrappedMessageOpensAsTrusted() throws Exception {
    String entity = "Content-Type: text/plain; charset=us-ascii\r\n\r\nUnwrapped referral body.\r\n";
    assertOpensTrusted(opensslSeal(entity, List.of("-aes128"), true), false);
  }

  @Test
  void opensslGcmMessageOpensAsTrusted() throws Exception {
    Path sealed = opensslSeal("Content-Type: message/rfc822\r\n\r\n" + INNER, List.of("-aes-256-gcm"), true);
    OpenResult.Trusted r = assertOpensTrusted(sealed, true);
    assertThat(r.protection().encryption()).contains("AES-256-GCM");
  }

  @Test
  void opensslOaepMessageOpensAsTrusted() throws Exception {
    Path sealed = opensslSeal("Content-Type: message/rfc822\r\n\r\n" + INNER, List.of("-aes256", "-keyopt",
        "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"), true);
    OpenResult.Trusted r = assertOpensTrusted(sealed, true);
    assertThat(r.protection().keyTransport()).contains("RSAES-OAEP SHA-256");
  }

  @Test
  void opensslMessageWithLfLineEndsOpensAsTrusted() throws Exception {
    // openssl canonicalises to CRLF for the signature but writes LF: verification must canonicalise too
    Path sealed = opensslSeal(("Content-Type: message/rfc822\r\n\r\n" + INNER).replace("\r\n", "\n"),
        List.of("-aes256"), true);
    assertOpensTrusted(sealed, true);
  }

  @Test
  void severalSignersAreAcceptedWhenOneValidSignerIsBoundToFrom() throws Exception {
    TestIdentity stranger = pki.issue(LeafSpec.address("stranger@elsewhere.example")
        .issuedBy(pki.newCa("Stranger Root", null, 0)));
    Path strangerCert = stranger.writeCertificatePem(dir.resolve("stranger.pem"));
    Path strangerKey = stranger.writePrivateKeyPem(dir.resolve("stranger.key"));
    Path sealed = opensslSeal("Content-Type: message/rfc822\r\n\r\n" + INNER, List.of("-aes256"),
        List.of("-signer", strangerCert.toString(), "-inkey", strangerKey.toString(),
            "-signer", aliceCert.toString(), "-inkey", aliceKey.toString(), "-md", "sha256"));
    assertOpensTrusted(sealed, true);
  }

  @Test
  void sha1SignatureOpensButIsFlaggedAsLegacy() throws Exception {
    Path sealed = opensslSeal("Content-Type: message/rfc822\r\n\r\n" + INNER, List.of("-aes256"),
        List.of("-signer", aliceCert.toString(), "-inkey", aliceKey.toString(), "-md", "sha1"));
    OpenResult.Trusted r = assertOpensTrusted(sealed, true);
    assertThat(r.signature().digest()).contains("SHA-1");
    assertThat(r.signature().legacyDigest()).isTrue();
    assertThat(r.notes()).anyMatch(n -> n.contains("SHA-1"));
  }

  @Test
  void opaqueSignedDataOpensAsTrusted() throws Exception {
    Path sealed = opensslSeal("Content-Type: message/rfc822\r\n\r\n" + INNER, List.of("-aes256"),
        List.of("-signer", aliceCert.toString(), "-inkey", aliceKey.toString(), "-md", "sha256", "-nodetach"));
    assertThat(Files.readString(dir.resolve("signed.eml"))).contains("smime-type=signed-data");
    assertOpensTrusted(sealed, true);
  }

  @Test
  void quirksOfOtherClientsNoMimeVersionUppercaseMicalgNoSmimeTypeStillOpenAsTrusted() throws Exception {
    Path sealed = opensslSeal("Content-Type: message/rfc822\r\n\r\n" + INNER, List.of("-aes256"),
        List.of("-signer", aliceCert.toString(), "-inkey", aliceKey.toString(), "-md", "sha256", "-certfile",
            chainCert.toString()),
        signedText -> signedText.replaceFirst("micalg=\"sha-256\"", "micalg=SHA256")
            .replaceFirst("(?m)^MIME-Version: 1.0\r?\n", ""),
        sealedText -> sealedText.replaceFirst("(?m)^MIME-Version: 1.0\r?\n", "")
            .replaceFirst("; ?smime-type=enveloped-data", ""));
    String text = Files.readString(sealed);
    assertThat(text).doesNotContain("MIME-Version").doesNotContain("smime-type");
    assertThat(Files.readString(dir.resolve("signed.eml"))).contains("micalg=SHA256");

    assertOpensTrusted(sealed, true);
  }

  @Test
  void anUnwrappedMdnFromOtherSoftwareIsReadAsANotification() throws Exception {
    String mdnEntity = "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b\"\r\n\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\nprocessed\r\n--b\r\n"
        + "Content-Type: message/disposition-notification\r\n\r\nReporting-UA: other; 1\r\n"
        + "Final-Recipient: rfc822; alice@hospital.example\r\nOriginal-Message-ID: <ours@clinic.example>\r\n"
        + "Disposition: automatic-action/MDN-sent-automatically; processed\r\n--b--\r\n";
    Path sealed = opensslSeal(mdnEntity, List.of("-aes256"), true);
    Path out = dir.resolve("opened-mdn.eml");

    OpenResult r = fx.receiver(dir.resolve("work"), bob).open(sealed, Optional.of(out));

    assertThat(r).as(r.reason()).isInstanceOf(OpenResult.Trusted.class);
    assertThat(((OpenResult.Trusted) r).protection().wrapped()).isFalse();
    var n = health.direct.core.receipts.NotificationParser.parse(out).orElseThrow();
    assertThat(n).isInstanceOf(health.direct.core.receipts.Notification.Mdn.class);
    assertThat(n.originalMessageId()).isEqualTo("<ours@clinic.example>");
  }

  private OpenResult.Trusted assertOpensTrusted(Path sealed, boolean wrapped) throws IOException {
    Path out = dir.resolve("opened.eml");
    OpenResult r = fx.receiver(dir.resolve("work"), bob).open(sealed, Optional.of(out));
    assertThat(r).as(r.reason()).isInstanceOf(OpenResult.Trusted.class);
    OpenResult.Trusted t = (OpenResult.Trusted) r;
    assertThat(t.protection().wrapped()).isEqualTo(wrapped);
    assertThat(t.signature().signer().address()).contains("alice@hospital.example");
    assertThat(Files.readString(out)).contains(wrapped ? "Referral letter body." : "Unwrapped referral body.");
    return t;
  }

  private Path opensslSeal(String entity, List<String> cipherArgs, boolean includeChain) throws Exception {
    List<String> signer = new ArrayList<>(List.of("-signer", aliceCert.toString(), "-inkey", aliceKey.toString(),
        "-md", "sha256"));
    if (includeChain) {
      signer.addAll(List.of("-certfile", chainCert.toString()));
    }
    return opensslSeal(entity, cipherArgs, signer);
  }

  private Path opensslSeal(String entity, List<String> cipherArgs, List<String> signerArgs) throws Exception {
    return opensslSeal(entity, cipherArgs, signerArgs, x -> x, x -> x);
  }

  /** As openssl seals, with the signed layer and the final message edited as other clients write them. */
  private Path opensslSeal(String entity, List<String> cipherArgs, List<String> signerArgs,
      java.util.function.UnaryOperator<String> editSigned, java.util.function.UnaryOperator<String> editSealed)
      throws Exception {
    Path in = Files.writeString(dir.resolve("entity.txt"), entity, StandardCharsets.US_ASCII);
    Path signed = dir.resolve("signed.eml");
    List<String> sign = new ArrayList<>(List.of("openssl", "cms", "-sign", "-in", in.toString(), "-out",
        signed.toString()));
    sign.addAll(signerArgs);
    Result s = run(sign, null);
    assertThat(s.exit).as(s.output).isZero();
    Files.writeString(signed, editSigned.apply(Files.readString(signed, StandardCharsets.ISO_8859_1)),
        StandardCharsets.ISO_8859_1);
    Path sealed = dir.resolve("sealed-openssl.eml");
    List<String> enc = new ArrayList<>(List.of("openssl", "cms", "-encrypt", "-in", signed.toString(), "-out",
        sealed.toString(), "-from", "alice@hospital.example", "-to", "bob@clinic.example", "-subject",
        "Secure message"));
    enc.addAll(List.of("-recip", bobCert.toString()));
    enc.addAll(cipherArgs); // -keyopt applies to the -recip before it
    Result e = run(enc, null);
    assertThat(e.exit).as(e.output).isZero();
    Files.writeString(sealed, editSealed.apply(Files.readString(sealed, StandardCharsets.ISO_8859_1)),
        StandardCharsets.ISO_8859_1);
    return sealed;
  }

  record Result(int exit, String output) {}

  static Result run(List<String> cmd, Path workDir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(124, out + " (timed out)");
    }
    return new Result(p.exitValue(), out);
  }
}
