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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery over SMTP (arcs 3 and 4) against real SMTP servers on loopback, with MX records from the
 * in-process DNS responder. A second MX host resolves to 127.0.0.2, where nothing listens, to play
 * a server that is down.
 */
class SmtpDeliveryTest {
  static final DirectAddress ALICE = DirectAddress.parse("alice@hospital.example");
  static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");
  static final DirectAddress CAROL = DirectAddress.parse("carol@clinic.example");
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity mailCert =
      pki.issue(LeafSpec.tlsServer("mx1.clinic.example", "mx2.clinic.example", "clinic.example"));

  DnsResponder dns;
  TestSmtpServer smtp;
  @TempDir
  Path dir;
  Path message;

  @BeforeEach
  void start() throws Exception {
    dns = DnsResponder.start();
    message = Files.writeString(dir.resolve("sealed.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: Secure health message\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; "
        + "smime-type=enveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n",
        StandardCharsets.US_ASCII);
  }

  @AfterEach
  void stop() {
    if (smtp != null) {
      smtp.close();
    }
    dns.close();
  }

  private SmtpDelivery delivery(StartTlsPolicy policy) {
    return delivery(policy, Optional.empty());
  }

  private SmtpDelivery delivery(StartTlsPolicy policy, Optional<String> smartHost) {
    DnsClient client = new DnsClient(DnsSettings.of(List.of(dns.hostAndPort()), Duration.ofSeconds(2), "none", false),
        Clock.systemUTC());
    SmtpSettings s = new SmtpSettings(smtp.port(), smartHost, smtp.port(), policy, Optional.of("hospital.example"),
        Duration.ofSeconds(5));
    return new SmtpDelivery(s, new MxResolver(client, new Random(1)), new HostResolver(client),
        TlsTrust.withExtraAnchors(List.of(pki.root().certificate())));
  }

  private void zone(TestZone z) {
    dns.serve(z.unsigned());
  }

  @Test
  void theMessageGoesToTheMxWithTheLowestPreferenceByteForByte() throws Exception {
    smtp = TestSmtpServer.builder().start();
    // both hosts reach the same server: only the order decides which name delivers
    zone(TestZone.named("clinic.example").mx(20, "mx2.clinic.example").mx(10, "mx1.clinic.example")
        .a("mx1.clinic.example", "127.0.0.1").a("mx2.clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(r.get(BOB).detail()).startsWith("mx1.clinic.example [127.0.0.1]");
    assertThat(smtp.received()).singleElement().satisfies(m -> {
      assertThat(m.envelopeFrom()).isEqualTo("alice@hospital.example");
      assertThat(m.recipients()).containsExactly("bob@clinic.example");
      assertThat(new String(m.data(), StandardCharsets.US_ASCII)).endsWith("MIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n");
    });
  }

  @Test
  void aMessageLargerThanTheServersSizeLimitFailsAtOnceWithBothNumbersAndIsNotSent() throws Exception {
    smtp = TestSmtpServer.builder().maxMessageSize(100).start();
    zone(TestZone.named("clinic.example").mx(10, "mx1.clinic.example").a("mx1.clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Permanent.class);
    assertThat(r.get(BOB).detail()).contains("is " + Files.size(message) + " bytes").contains("at most 100 (SMTP SIZE)");
    assertThat(smtp.received()).isEmpty();
  }

  @Test
  void whenTheBestMxIsDownTheNextOneIsTried() {
    smtp = TestSmtpServer.builder().start();
    zone(TestZone.named("clinic.example").mx(10, "mx1.clinic.example").mx(20, "mx2.clinic.example")
        .a("mx1.clinic.example", "127.0.0.2").a("mx2.clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(r.get(BOB).detail()).startsWith("mx2.clinic.example [127.0.0.1]");
    assertThat(smtp.received()).hasSize(1);
  }

  @Test
  void withoutAnMxTheDomainsOwnAddressIsUsed() {
    smtp = TestSmtpServer.builder().start();
    zone(TestZone.named("clinic.example").a("clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(r.get(BOB).detail()).startsWith("clinic.example [127.0.0.1]");
  }

  @Test
  void aNullMxIsAPermanentFailureAndNothingIsSent() {
    smtp = TestSmtpServer.builder().start();
    zone(TestZone.named("clinic.example").mx(0, ".").a("clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Permanent.class);
    assertThat(r.get(BOB).detail()).contains("null MX");
    assertThat(smtp.connections()).isZero();
  }

  @Test
  void eachRecipientGetsItsOwnOutcome4xxLater5xxNeverTheRestDelivered() {
    DirectAddress dave = DirectAddress.parse("dave@clinic.example");
    smtp = TestSmtpServer.builder().start().reply("carol@clinic.example", 450, "mailbox busy")
        .reply("dave@clinic.example", 550, "no such user");
    zone(TestZone.named("clinic.example").mx(10, "mx1.clinic.example").a("mx1.clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC)
        .deliver(message, ALICE, List.of(BOB, CAROL, dave));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(r.get(CAROL)).isInstanceOf(DeliveryOutcome.Transient.class);
    assertThat(r.get(CAROL).detail()).contains("450");
    assertThat(r.get(dave)).isInstanceOf(DeliveryOutcome.Permanent.class);
    assertThat(r.get(dave).detail()).contains("550");
    assertThat(smtp.received()).singleElement().satisfies(m -> assertThat(m.recipients()).containsExactly("bob@clinic.example"));
  }

  @Test
  void aServerThatRefusesEveryoneForNowIsATemporaryFailure() {
    smtp = TestSmtpServer.builder().start().failNextTransactions(5);
    zone(TestZone.named("clinic.example").mx(10, "mx1.clinic.example").a("mx1.clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Transient.class);
    assertThat(r.get(BOB).detail()).contains("451");
  }

  @Test
  @Tag("risk3")
  @Tag("risk6")
  void requiredTlsThatIsNotOfferedSendsNothingInTheClear() {
    smtp = TestSmtpServer.builder().start();
    zone(TestZone.named("clinic.example").mx(10, "mx1.clinic.example").a("mx1.clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.REQUIRED).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Transient.class);
    assertThat(r.get(BOB).detail()).containsIgnoringCase("STARTTLS");
    assertThat(smtp.received()).isEmpty();
  }

  @Test
  @Tag("risk3")
  @Tag("risk6")
  void starttlsIsUsedWhenOfferedAndTheCertificateIsChecked() {
    smtp = TestSmtpServer.builder().startTls(mailCert.serverTlsContext()).start();
    zone(TestZone.named("clinic.example").mx(10, "mx1.clinic.example").a("mx1.clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.REQUIRED).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).as(r.get(BOB).detail()).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(smtp.received()).singleElement().satisfies(m -> assertThat(m.overTls()).isTrue());
  }

  @Test
  @Tag("risk2")
  @Tag("risk3")
  void aCertificateForAnotherNameIsRefusedEvenWhenTlsIsOnlyOpportunistic() {
    TestIdentity other = pki.issue(LeafSpec.tlsServer("mail.attacker.example"));
    smtp = TestSmtpServer.builder().startTls(other.serverTlsContext()).start();
    zone(TestZone.named("clinic.example").mx(10, "mx1.clinic.example").a("mx1.clinic.example", "127.0.0.1"));

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC).deliver(message, ALICE, List.of(BOB));

    assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Transient.class);
    assertThat(r.get(BOB).detail()).contains("No subject alternative DNS name matching mx1.clinic.example");
    assertThat(smtp.received()).isEmpty();
  }

  @Test
  @Tag("risk2")
  @Tag("risk3")
  void aCertificateFromAnUntrustedCaIsRefused() {
    try (TestPki stranger = TestPki.start(Clock.systemUTC())) {
      TestIdentity self = stranger.issue(LeafSpec.tlsServer("mx1.clinic.example"));
      smtp = TestSmtpServer.builder().startTls(self.serverTlsContext()).start();
      zone(TestZone.named("clinic.example").mx(10, "mx1.clinic.example").a("mx1.clinic.example", "127.0.0.1"));

      Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC).deliver(message, ALICE, List.of(BOB));

      assertThat(r.get(BOB)).isInstanceOf(DeliveryOutcome.Transient.class);
      assertThat(r.get(BOB).detail()).contains("PKIX path building failed");
      assertThat(smtp.received()).isEmpty();
    }
  }

  @Test
  void aSmartHostTakesMailForEveryDomain() {
    smtp = TestSmtpServer.builder().start();

    Map<DirectAddress, DeliveryOutcome> r = delivery(StartTlsPolicy.OPPORTUNISTIC, Optional.of("127.0.0.1"))
        .deliver(message, ALICE, List.of(BOB, DirectAddress.parse("eve@elsewhere.example")));

    assertThat(r.values()).allMatch(o -> o instanceof DeliveryOutcome.Delivered);
    assertThat(smtp.received()).singleElement().satisfies(m -> assertThat(m.recipients()).hasSize(2));
    assertThat(dns.queries()).isEmpty();
  }

  @Test
  void mxHostsOfEqualPreferenceAreShuffledButNeverPutBeforeABetterOne() {
    zone(TestZone.named("clinic.example").mx(5, "best.clinic.example").mx(10, "a.clinic.example")
        .mx(10, "b.clinic.example").mx(10, "c.clinic.example"));
    DnsClient client = new DnsClient(DnsSettings.of(List.of(dns.hostAndPort()), Duration.ofSeconds(2), "none", false),
        Clock.systemUTC());
    java.util.Set<List<String>> orders = new java.util.HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      MxPlan.Hosts plan = (MxPlan.Hosts) new MxResolver(client, new Random(seed)).resolve("clinic.example");
      assertThat(plan.hosts().get(0)).isEqualTo("best.clinic.example");
      assertThat(plan.hosts().subList(1, 4)).containsExactlyInAnyOrder("a.clinic.example", "b.clinic.example",
          "c.clinic.example");
      orders.add(plan.hosts());
    }
    assertThat(orders).hasSizeGreaterThan(1);
  }
}
