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
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of sending and in the middle of fetching, in a real child JVM: nothing is
 * lost and nothing is sent or stored twice.
 */
class CrashSafetyTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity mailTls =
      pki.issue(LeafSpec.tlsServer("mail.clinic.example", "mail.hospital.example"));
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
  static final TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));

  @TempDir
  Path dir;

  CliHarness cli;

  @org.junit.jupiter.api.BeforeEach
  void harness() {
    cli = new CliHarness(dir);
  }

  private CliHarness.Run direct(Path home, String... args) {
    return cli.direct(home, args);
  }

  private Path home(String name, TestIdentity id, String config) throws Exception {
    return cli.home(name, id, pki, config);
  }

  @Test
  void killedWhileSendingTheThirdMessageTheFirstTwoAreNotResentAndTheThirdIsSentOnce() throws Exception {
    try (DnsResponder dns = DnsResponder.start(); TestSmtpServer mx = TestSmtpServer.builder().start()) {
      dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate())
          .mx(10, "mx.clinic.example").a("mx.clinic.example", "127.0.0.1").unsigned());
      Path home = home("alice", alice, "dns.servers = " + dns.hostAndPort() + "\ndns.dnssec.trust-anchors = none\n"
          + "smtp.port = " + mx.port() + "\nnet.timeout = 20s\naccount.address = alice@hospital.example\n");
      for (int i = 1; i <= 3; i++) {
        assertThat(direct(home, "send", "--queue-only", "--to", "bob@clinic.example", "--subject", "m" + i, "--body",
            "b").exit()).isZero();
      }
      mx.pauseAtTransaction(3);

      Process p = cli.child(home, "outbox", "--deliver");
      assertThat(mx.awaitPaused(60_000)).as("the child reached the third message").isTrue();
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      mx.release();

      JsonNode states = new ObjectMapper().readTree(direct(home, "outbox", "--json").out());
      assertThat(states).extracting(n -> n.get("recipients").get(0).get("state").asText())
          .containsExactly("delivered", "delivered", "pending");

      CliHarness.Run again = direct(home, "outbox", "--deliver", "--json");
      assertThat(new ObjectMapper().readTree(again.out())).allSatisfy(n ->
          assertThat(n.get("recipients").get(0).get("state").asText()).isEqualTo("delivered"));
      List<String> ids = mx.received().stream().map(m -> messageId(m.data())).toList();
      assertThat(ids).hasSize(3).doesNotHaveDuplicates();
    }
  }

  @Test
  void killedWhileFetchingNothingIsLostAndNothingIsStoredTwice() throws Exception {
    int total = 60;
    try (DnsResponder dns = DnsResponder.start();
        TestMailServer mail = TestMailServer.start(mailTls)) {
      mail.addUser("bob@clinic.example", "bob", "mpw");
      dns.serve(TestZone.named("clinic.example").a("mail.clinic.example", "127.0.0.1").unsigned());
      Properties props = new Properties();
      props.put("mail.smtp.host", "127.0.0.1");
      props.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
      Session s = Session.getInstance(props);
      try (Transport t = s.getTransport("smtp")) {
        t.connect();
        for (int i = 0; i < total; i++) {
          MimeMessage m = new MimeMessage(s);
          m.setFrom(new InternetAddress("lab@elsewhere.example"));
          m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@clinic.example"));
          m.setSubject("message " + i);
          m.setText("body " + i);
          m.saveChanges();
          t.sendMessage(m, m.getAllRecipients());
        }
      }
      assertThat(mail.waitForMessages(total, 30_000)).isTrue();
      Path home = home("bob", bob, "dns.servers = " + dns.hostAndPort() + "\ndns.dnssec.trust-anchors = none\n"
          + "fetch.protocol = imap\nfetch.host = mail.clinic.example\nfetch.port = " + mail.imapsPort()
          + "\nfetch.tls = implicit\nfetch.user = bob\n");
      assertThat(direct(home, "account", "set-password", "--server-password-env", "MAIL_PW").exit()).isZero();
      Path stored = home.resolve("mail").resolve("quarantine").resolve("new");

      Process p = cli.child(home, "fetch");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (count(stored) < 10 && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(5);
      }
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      int beforeRestart = count(stored);
      assertThat(beforeRestart).as("killed in the middle").isBetween(10, total - 1);

      CliHarness.Run fetch = direct(home, "fetch");
      assertThat(fetch.exit()).as(fetch.err()).isZero();

      JsonNode q = new ObjectMapper().readTree(direct(home, "quarantine", "--json").out());
      Set<String> subjects = new HashSet<>();
      q.forEach(n -> subjects.add(n.get("subject").asText()));
      assertThat(q).hasSize(total);
      assertThat(subjects).hasSize(total);
      assertThat(count(stored)).isEqualTo(total);
      assertThat(direct(home, "fetch").out()).contains("fetched 0 new message(s)");
    }
  }

  private static int count(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.count();
    }
  }

  private static String messageId(byte[] data) {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    return text.lines().filter(l -> l.regionMatches(true, 0, "Message-ID:", 0, 11)).findFirst().orElse("?");
  }
}
