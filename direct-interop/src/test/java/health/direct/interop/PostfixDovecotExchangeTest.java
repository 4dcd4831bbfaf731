package health.direct.interop;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.address.DirectAddress;
import health.direct.core.compose.Draft;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.store.AnchorStore;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.PasswordSource;
import health.direct.core.store.SecretStore;
import health.direct.core.trust.AnchorScope;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.app.DirectSession;
import health.direct.transport.fetch.FetchReport;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients exchange a Direct message through real servers: delivered to Postfix over SMTP with
 * STARTTLS required, stored by Postfix in Dovecot's Maildirs, fetched from Dovecot over IMAP with
 * STARTTLS, opened as trusted; the recipient's processed and dispatched notifications travel back
 * the same way, and the sender's client records the message as dispatched.
 */
class PostfixDovecotExchangeTest {
  static final DirectAddress ALICE = DirectAddress.parse("alice@hospital.example");
  static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address(ALICE.toString()));
  static final TestIdentity bob = pki.issue(LeafSpec.address(BOB.toString()));

  @TempDir
  Path dir;

  private DirectSession home(String login, DirectAddress address, TestIdentity id, DnsResponder dns, Postfix postfix,
      Dovecot dovecot) throws Exception {
    Path root = dir.resolve(login);
    DirectHome home = new DirectHome(root).create();
    Path pw = dir.resolve(login + ".pw");
    health.direct.core.io.SecureFiles.writeAtomically(pw, ("store-" + login + "\n").getBytes(
        java.nio.charset.StandardCharsets.US_ASCII));
    PasswordSource password = PasswordSource.file(pw);
    char[] p12 = "pw".toCharArray();
    new IdentityStore(home, password, Clock.systemUTC()).importPkcs12(id.toPkcs12(p12), p12, Optional.of(address));
    new AnchorStore(home).add(List.of(pki.root().certificate()), AnchorScope.ANY);
    Path rootPem = Files.writeString(dir.resolve("root.pem"), TestIdentity.pem(pki.root().certificate()));
    Files.writeString(home.configFile(), String.join("\n",
        "account.address = " + address,
        "dns.servers = " + dns.hostAndPort(),
        "dns.dnssec.trust-anchors = none",
        "tls.trust-anchors = " + rootPem,
        "smtp.port = " + postfix.port,
        "smtp.starttls = required",
        "fetch.protocol = imap",
        "fetch.host = mail." + address.domain(),
        "fetch.port = " + dovecot.imap,
        "fetch.tls = starttls",
        "fetch.user = " + login,
        "net.timeout = 20s",
        ""));
    new SecretStore(home, password).put(DirectSession.SERVER_PASSWORD, (login + "-mail").toCharArray());
    return DirectSession.open(home, password, HomeConfig.load(home.configFile()), Clock.systemUTC());
  }

  /** Fetches until something arrives: Postfix delivers asynchronously. */
  private static FetchReport fetchSoon(DirectSession c, Mailbox box, List<String> log) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    FetchReport r;
    do {
      r = c.receive(box).fetch(log::add);
      if (!r.stored().isEmpty()) {
        return r;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return r;
  }

  @Test
  @Tag("risk3")
  @Tag("risk7")
  void aMessageAndItsNotificationsTravelThroughPostfixAndDovecot() throws Exception {
    TestIdentity tls = pki.issue(LeafSpec.tlsServer("mail.clinic.example", "mail.hospital.example"));
    try (DnsResponder dns = DnsResponder.start();
        Dovecot dovecot = Dovecot.start(tls, Map.of("bob", "bob-mail", "alice", "alice-mail"));
        Postfix postfix = Postfix.start(tls, List.of("clinic.example", "hospital.example"),
            Map.of(BOB.toString(), "bob/Maildir/", ALICE.toString(), "alice/Maildir/"), dovecot.mailRoot())) {
      dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate())
          .mx(10, "mail.clinic.example").a("mail.clinic.example", "127.0.0.1").unsigned());
      dns.serve(TestZone.named("hospital.example").cert("alice.hospital.example", alice.certificate())
          .mx(10, "mail.hospital.example").a("mail.hospital.example", "127.0.0.1").unsigned());
      DirectSession a = home("alice", ALICE, alice, dns, postfix, dovecot);
      DirectSession b = home("bob", BOB, bob, dns, postfix, dovecot);
      List<String> log = new ArrayList<>();

      Path plain = dir.resolve("plain.eml");
      try (OutputStream o = Files.newOutputStream(plain)) {
        a.composer().compose(new Draft(ALICE, List.of(BOB), List.of(), "Referral", "Please see the patient.",
            List.of()), o);
      }
      String messageId;
      try (Mailbox box = a.mailbox()) {
        messageId = a.sender(box).queue(plain).seal().messageId();
        a.deliver(box).deliverDue(f -> log.add(f.reason()));
      }
      OutboxEntry sent = a.outbox().findByMessageId(messageId).orElseThrow();
      assertThat(sent.recipients().get(0).state()).as(sent.recipients().get(0).lastResult() + "\n" + postfix.log())
          .isEqualTo(OutboxEntry.State.DELIVERED);
      assertThat(sent.recipients().get(0).lastResult()).contains("mail.clinic.example").contains("250");

      try (Mailbox box = b.mailbox()) {
        FetchReport r = fetchSoon(b, box, log);
        assertThat(r.stored()).as(postfix.log() + dovecot.log()).singleElement().satisfies(m -> {
          assertThat(m.folder()).as(m.summary().detail()).isEqualTo(Folder.INBOX);
          assertThat(m.summary().verdict()).isEqualTo("trusted");
          assertThat(m.summary().subject()).isEqualTo("Referral");
        });
        b.deliver(box).deliverDue(f -> log.add(f.reason()));
      }
      assertThat(log).anyMatch(l -> l.contains("processed notification queued"))
          .anyMatch(l -> l.contains("dispatched notification queued"));

      try (Mailbox box = a.mailbox()) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (box.list(Folder.RECEIPTS).size() < 2 && System.nanoTime() < deadline) {
          a.receive(box).fetch(log::add);
          Thread.sleep(200);
        }
        assertThat(box.list(Folder.RECEIPTS)).as(String.join("\n", log)).hasSize(2);
      }
      OutboxEntry.RecipientState bobState = a.outbox().findByMessageId(messageId).orElseThrow().recipients().get(0);
      assertThat(bobState.outcome()).as(bobState.timeline().toString()).isEqualTo("dispatched");
    }
  }
}
