package health.direct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.mail.TestMailServer;
import health.direct.testkit.mail.TestSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code direct agent} as a real background process: retries, IMAP IDLE, a clean stop on SIGTERM. */
class AgentTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
  static final TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
  static final TestIdentity mailTls = pki.issue(LeafSpec.tlsServer("mail.clinic.example"));

  @TempDir
  Path dir;
  CliHarness cli;

  @BeforeEach
  void harness() {
    cli = new CliHarness(dir);
  }

  @Test
  void theAgentRetriesATemporaryFailureWhenDueAndStopsCleanlyOnSigterm() throws Exception {
    try (DnsResponder dns = DnsResponder.start(); TestSmtpServer mx = TestSmtpServer.builder().start()) {
      dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate())
          .mx(10, "mx.clinic.example").a("mx.clinic.example", "127.0.0.1").unsigned());
      Path home = cli.home("alice", alice, pki, "dns.servers = " + dns.hostAndPort()
          + "\ndns.dnssec.trust-anchors = none\nsmtp.port = " + mx.port() + "\naccount.address = alice@hospital.example"
          + "\noutbox.retry-initial = 1s\nagent.interval = 30s");
      mx.failNextTransactions(1);
      assertThat(cli.direct(home, "send", "--queue-only", "--to", "bob@clinic.example", "--subject", "s", "--body", "b")
          .exit()).isZero();

      Process p = cli.child(home, "agent");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (mx.received().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(mx.received()).as("delivered on the retry, well before the 30 s interval").hasSize(1);
      assertThat(mx.connections()).isEqualTo(2);
      Thread.sleep(300);
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(cli.log()).contains("delivered 1").contains("agent: stopped");
      JsonNode states = new ObjectMapper().readTree(cli.direct(home, "outbox", "--json").out());
      assertThat(states.get(0).get("recipients").get(0).get("state").asText()).isEqualTo("delivered");
      assertThat(states.get(0).get("recipients").get(0).get("attempts").asInt()).isEqualTo(2);
    }
  }

  @Test
  void aMessageTheEhrDropsIsSealedQueuedAndDeliveredInTheSameRound() throws Exception {
    try (DnsResponder dns = DnsResponder.start(); TestSmtpServer mx = TestSmtpServer.builder().start()) {
      dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate())
          .mx(10, "mx.clinic.example").a("mx.clinic.example", "127.0.0.1").unsigned());
      Path home = cli.home("alice", alice, pki, "dns.servers = " + dns.hostAndPort()
          + "\ndns.dnssec.trust-anchors = none\nsmtp.port = " + mx.port() + "\naccount.address = alice@hospital.example"
          + "\nautomation.drop-folder = drop");
      Path outgoing = Files.createDirectories(home.resolve("drop/outgoing"));
      Path part = Files.writeString(outgoing.resolve("discharge-4711.eml.part"), "From: alice@hospital.example\r\n"
          + "To: bob@clinic.example\r\nSubject: Discharge summary\r\nMIME-Version: 1.0\r\n"
          + "Content-Type: text/plain\r\n\r\nDischarged home.\r\n");
      Files.move(part, outgoing.resolve("discharge-4711.eml"));

      CliHarness.Run round = cli.direct(home, "agent", "--once", "--no-fetch");

      assertThat(round.exit()).as(round.err()).isZero();
      assertThat(round.out()).contains("drop folder: queued 1, failed 0").contains("delivered 1")
          .doesNotContain("discharge-4711").doesNotContain("Discharge summary");
      assertThat(mx.received()).hasSize(1);
      JsonNode answer = new ObjectMapper().readTree(home.resolve("drop/queued/discharge-4711.json").toFile());
      assertThat(answer.get("securedFor").get(0).asText()).isEqualTo("bob@clinic.example");
      JsonNode status = new ObjectMapper().readTree(cli.direct(home, "outbox", "--json").out());
      assertThat(status.get(0).get("messageId").asText()).isEqualTo(answer.get("messageId").asText());
      assertThat(outgoing.resolve("discharge-4711.eml")).doesNotExist();
    }
  }

  @Test
  void newMailIsFetchedAtOnceThroughImapIdleAndSigtermEndsTheIdle() throws Exception {
    try (DnsResponder dns = DnsResponder.start(); TestMailServer mail = TestMailServer.start(mailTls)) {
      mail.addUser("bob@clinic.example", "bob", "mpw");
      dns.serve(TestZone.named("clinic.example").a("mail.clinic.example", "127.0.0.1").unsigned());
      Path home = cli.home("bob", bob, pki, "dns.servers = " + dns.hostAndPort() + "\ndns.dnssec.trust-anchors = none"
          + "\nfetch.host = mail.clinic.example\nfetch.port = " + mail.imapsPort()
          + "\nfetch.tls = implicit\nfetch.user = bob\nagent.interval = 120s");
      assertThat(cli.direct(home, "account", "set-password", "--server-password-env", "MAIL_PW").exit()).isZero();

      Process p = cli.child(home, "agent");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!cli.log().contains("agent: home") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(1500);
      sendPlain(mail.smtpPort());
      Path quarantine = home.resolve("mail/quarantine/new");
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (count(quarantine) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(count(quarantine)).as("fetched long before the 120 s interval; agent said: %s", cli.log()).isEqualTo(1);

      long stopAt = System.nanoTime();
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopAt)).isLessThan(10);
      assertThat(cli.log()).contains("fetched 1 message(s), 1 quarantined").contains("agent: stopped");
    }
  }

  private static void sendPlain(int port) throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.put("mail.smtp.host", "127.0.0.1");
    props.put("mail.smtp.port", Integer.toString(port));
    jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(props));
    m.setFrom(new jakarta.mail.internet.InternetAddress("lab@elsewhere.example"));
    m.setRecipient(jakarta.mail.Message.RecipientType.TO, new jakarta.mail.internet.InternetAddress("bob@clinic.example"));
    m.setSubject("result");
    m.setText("plain");
    jakarta.mail.Transport.send(m);
  }

  private static long count(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }
}
