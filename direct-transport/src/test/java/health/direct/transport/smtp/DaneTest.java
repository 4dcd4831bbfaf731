package health.direct.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.address.DirectAddress;
import health.direct.core.outbox.DeliveryOutcome;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.mail.TestSmtpServer;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.dns.DnsSettings;
import health.direct.transport.net.HostResolver;
import health.direct.transport.tls.TlsTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DANE for SMTP (RFC 7672, risk 2): TLSA records in a signed zone decide which MX certificate is accepted. */
@Tag("risk2")
class DaneTest {
  static final DirectAddress ALICE = DirectAddress.parse("alice@hospital.example");
  static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");
  @AutoClose
  static final TestPki trusted = TestPki.start(Clock.systemUTC());
  /** The clinic's own CA, which no one's trust store holds. */
  @AutoClose
  static final TestPki ownCa = TestPki.start(Clock.systemUTC());

  @TempDir
  Path dir;

  private static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  private Map<DirectAddress, DeliveryOutcome> deliver(TestSmtpServer smtp, TestZone zone, boolean signedView)
      throws Exception {
    try (DnsResponder dns = DnsResponder.start()) {
      dns.serve(zone);
      String anchors = "none";
      if (signedView) {
        anchors = Files.writeString(dir.resolve("anchor-" + System.nanoTime()), zone.trustAnchor().orElseThrow() + "\n")
            .toString();
      }
      DnsClient client = new DnsClient(DnsSettings.of(List.of(dns.hostAndPort()), Duration.ofSeconds(2), anchors, false),
          Clock.systemUTC());
      SmtpSettings s = new SmtpSettings(smtp.port(), Optional.empty(), smtp.port(), StartTlsPolicy.OPPORTUNISTIC,
          Optional.of("hospital.example"), Duration.ofSeconds(5));
      Path msg = Files.writeString(dir.resolve("m.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
          + "Subject: x\r\n\r\nciphertext\r\n");
      return new SmtpDelivery(s, new MxResolver(client, new Random(1)), new HostResolver(client),
          TlsTrust.withExtraAnchors(List.of(trusted.root().certificate())), Optional.of(client))
          .deliver(msg, ALICE, List.of(BOB));
    }
  }

  private static TestZone zone(int port, int usage, int selector, byte[] data) {
    return TestZone.named("clinic.example").mx(10, "mx1.clinic.example").a("mx1.clinic.example", "127.0.0.1")
        .tlsa("_" + port + "._tcp.mx1.clinic.example", usage, selector, 1, data);
  }

  @Test
  void aCertificateFromAnUnknownCaIsAcceptedWhenItsKeyIsPinnedBySecureTlsa() throws Exception {
    TestIdentity cert = ownCa.issue(LeafSpec.tlsServer("mx1.clinic.example"));
    try (TestSmtpServer smtp = TestSmtpServer.builder().startTls(cert.serverTlsContext()).start()) {
      Map<DirectAddress, DeliveryOutcome> r = deliver(smtp,
          zone(smtp.port(), 3, 1, sha256(cert.certificate().getPublicKey().getEncoded())).signed(), true);

      assertThat(r.get(BOB)).as(r.get(BOB).detail()).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(r.get(BOB).detail()).contains("(DANE)");
      assertThat(smtp.received()).singleElement().satisfies(m -> assertThat(m.overTls()).isTrue());
    }
  }

  @Test
  void aServerWhoseKeyDoesNotMatchTheTlsaRecordGetsNothing() throws Exception {
    TestIdentity cert = trusted.issue(LeafSpec.tlsServer("mx1.clinic.example"));
    TestIdentity other = ownCa.issue(LeafSpec.tlsServer("mx1.clinic.example"));
    try (TestSmtpServer smtp = TestSmtpServer.builder().startTls(cert.serverTlsContext()).start()) {
      Map<DirectAddress, DeliveryOutcome> r = deliver(smtp,
          zone(smtp.port(), 3, 1, sha256(other.certificate().getPublicKey().getEncoded())).signed(), true);

      assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Transient.class);
      assertThat(smtp.received()).isEmpty();
    }
  }

  @Test
  void aServerThatOffersNoTlsGetsNothingWhenTlsaIsPublished() throws Exception {
    TestIdentity cert = ownCa.issue(LeafSpec.tlsServer("mx1.clinic.example"));
    try (TestSmtpServer smtp = TestSmtpServer.builder().start()) {
      Map<DirectAddress, DeliveryOutcome> r = deliver(smtp,
          zone(smtp.port(), 3, 1, sha256(cert.certificate().getPublicKey().getEncoded())).signed(), true);

      assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Transient.class);
      assertThat(r.get(BOB).detail()).containsIgnoringCase("STARTTLS");
      assertThat(smtp.received()).isEmpty();
    }
  }

  @Test
  void tlsaFromAnUnsignedZoneIsIgnoredSoTheUnknownCaIsRefused() throws Exception {
    TestIdentity cert = ownCa.issue(LeafSpec.tlsServer("mx1.clinic.example"));
    try (TestSmtpServer smtp = TestSmtpServer.builder().startTls(cert.serverTlsContext()).start()) {
      Map<DirectAddress, DeliveryOutcome> r = deliver(smtp,
          zone(smtp.port(), 3, 1, sha256(cert.certificate().getPublicKey().getEncoded())).unsigned(), false);

      assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Transient.class);
      assertThat(r.get(BOB).detail()).doesNotContain("(DANE)").contains("PKIX");
      assertThat(smtp.received()).isEmpty();
    }
  }

  @Test
  void daneTaPinsTheClinicsOwnCaAndStillChecksTheName() throws Exception {
    TestIdentity good = ownCa.issue(LeafSpec.tlsServer("mx1.clinic.example"));
    TestIdentity wrongName = ownCa.issue(LeafSpec.tlsServer("mail.elsewhere.example"));
    byte[] ta = sha256(ownCa.intermediate().certificate().getEncoded());
    try (TestSmtpServer smtp = TestSmtpServer.builder().startTls(good.serverTlsContext()).start()) {
      Map<DirectAddress, DeliveryOutcome> r = deliver(smtp, zone(smtp.port(), 2, 0, ta).signed(), true);
      assertThat(r.get(BOB)).as(r.get(BOB).detail()).isInstanceOf(DeliveryOutcome.Delivered.class);
    }
    try (TestSmtpServer smtp = TestSmtpServer.builder().startTls(wrongName.serverTlsContext()).start()) {
      Map<DirectAddress, DeliveryOutcome> r = deliver(smtp, zone(smtp.port(), 2, 0, ta).signed(), true);
      assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Transient.class);
      assertThat(smtp.received()).isEmpty();
    }
  }
}
