package health.direct.transport.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.MessageSink;
import health.direct.core.mailbox.StoredMessage;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.mail.TestMailServer;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.dns.DnsSettings;
import health.direct.transport.net.HostResolver;
import health.direct.transport.tls.TlsTrust;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching over IMAP and POP3 with TLS (arc 5, risk 7) from a GreenMail server on loopback. */
class MailFetcherTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity mailTls =
      pki.issue(LeafSpec.tlsServer("mail.clinic.example", "mail.hospital.example"));

  TestMailServer mail;
  DnsResponder dns;
  Mailbox mailbox;
  @TempDir
  Path dir;

  @BeforeEach
  void start() throws Exception {
    mail = TestMailServer.start(mailTls);
    mail.addUser("bob@clinic.example", "bob", "bob-secret");
    dns = DnsResponder.start().serve(TestZone.named("clinic.example").a("mail.clinic.example", "127.0.0.1")
        .a("remote.clinic.example", "192.0.2.10").unsigned());
    mailbox = Mailbox.open(dir.resolve("mail"), Clock.systemUTC());
    for (int i = 1; i <= 3; i++) {
      send("message " + i);
    }
    assertThat(mail.waitForMessages(3, 5000)).isTrue();
  }

  @AfterEach
  void stop() {
    mailbox.close();
    mail.close();
    dns.close();
  }

  private void send(String subject) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
    MimeMessage m = new MimeMessage(Session.getInstance(p));
    m.setFrom(new InternetAddress("alice@hospital.example"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@clinic.example"));
    m.setSubject(subject);
    m.setText("body of " + subject);
    Transport.send(m);
  }

  private MailFetcher fetcher() {
    DnsClient client = new DnsClient(DnsSettings.of(List.of(dns.hostAndPort()), Duration.ofSeconds(2), "none", false),
        Clock.systemUTC());
    return new MailFetcher(new HostResolver(client), TlsTrust.withExtraAnchors(List.of(pki.root().certificate())),
        dir);
  }

  private FetchSettings settings(FetchSettings.Protocol protocol, FetchTls tls, int port, boolean keep,
      boolean allowPlain, String host) {
    return new FetchSettings(protocol, host, port, tls, "bob", "bob-secret"::toCharArray, "INBOX", keep, allowPlain,
        Duration.ofSeconds(10));
  }

  /** Stores everything in the inbox as it came. */
  private MessageSink sink() {
    return new MessageSink() {
      @Override
      public boolean contains(String source) {
        return mailbox.contains(source);
      }

      @Override
      public StoredMessage accept(String source, Path raw) {
        return mailbox.store(Folder.INBOX, source, raw, Optional.empty(), HeaderSummary.of(raw, "test", ""));
      }
    };
  }

  @Test
  @Tag("risk7")
  void imapOverImplicitTlsStoresEveryMessageThenRemovesItFromTheServer() {
    FetchReport r = fetcher().fetch(settings(FetchSettings.Protocol.IMAP, FetchTls.IMPLICIT, mail.imapsPort(), false,
        false, "mail.clinic.example"), sink());

    assertThat(r.stored()).hasSize(3);
    assertThat(r.stored()).allMatch(m -> m.source().matches("imap:bob@mail\\.clinic\\.example/INBOX;UIDVALIDITY=\\d+/;UID=\\d+"));
    assertThat(mailbox.list(Folder.INBOX)).extracting(m -> m.summary().subject())
        .containsExactlyInAnyOrder("message 1", "message 2", "message 3");
    FetchReport again = fetcher().fetch(settings(FetchSettings.Protocol.IMAP, FetchTls.IMPLICIT, mail.imapsPort(),
        false, false, "mail.clinic.example"), sink());
    assertThat(again.stored()).isEmpty();
    assertThat(again.alreadyStored()).isZero();
  }

  @Test
  void pop3OverImplicitTlsStoresEveryMessageOnceByUidl() {
    FetchReport r = fetcher().fetch(settings(FetchSettings.Protocol.POP3, FetchTls.IMPLICIT, mail.pop3sPort(), true,
        false, "mail.clinic.example"), sink());
    FetchReport again = fetcher().fetch(settings(FetchSettings.Protocol.POP3, FetchTls.IMPLICIT, mail.pop3sPort(), false,
        false, "mail.clinic.example"), sink());

    assertThat(r.stored()).hasSize(3);
    assertThat(r.stored()).allMatch(m -> m.source().startsWith("pop3:bob@mail.clinic.example;UIDL="));
    assertThat(again.stored()).isEmpty();
    assertThat(again.alreadyStored()).isEqualTo(3);
    assertThat(mailbox.list(Folder.INBOX)).hasSize(3);
    FetchReport third = fetcher().fetch(settings(FetchSettings.Protocol.POP3, FetchTls.IMPLICIT, mail.pop3sPort(), false,
        false, "mail.clinic.example"), sink());
    assertThat(third.alreadyStored()).as("deleted from the server by the second fetch").isZero();
  }

  @Test
  void aCrashAfterStoringButBeforeDeletingDuplicatesNothingOnTheNextFetch() {
    AtomicInteger stored = new AtomicInteger();
    MessageSink dying = new MessageSink() {
      @Override
      public boolean contains(String source) {
        return mailbox.contains(source);
      }

      @Override
      public StoredMessage accept(String source, Path raw) {
        StoredMessage m = sink().accept(source, raw);
        if (stored.incrementAndGet() == 2) {
          throw new IllegalStateException("the process dies here");
        }
        return m;
      }
    };
    FetchSettings imap = settings(FetchSettings.Protocol.IMAP, FetchTls.IMPLICIT, mail.imapsPort(), false, false,
        "mail.clinic.example");
    assertThatThrownBy(() -> fetcher().fetch(imap, dying)).hasMessageContaining("dies here");

    FetchReport r = fetcher().fetch(imap, sink());

    // the first was stored and removed; the second stored but still on the server; the third new
    assertThat(r.alreadyStored()).isEqualTo(1);
    assertThat(r.stored()).hasSize(1);
    assertThat(mailbox.list(Folder.INBOX)).extracting(m -> m.summary().subject())
        .containsExactlyInAnyOrder("message 1", "message 2", "message 3");
  }

  @Test
  void imapIdleWakesWhenMailArrivesAndWhenWoken() throws Exception {
    FetchSettings imap = settings(FetchSettings.Protocol.IMAP, FetchTls.IMPLICIT, mail.imapsPort(), false, false,
        "mail.clinic.example");
    try (MailFetcher.IdleSession idle = fetcher().idle(imap).orElseThrow()) {
      new Thread(() -> {
        try {
          Thread.sleep(800);
          send("arrives during IDLE");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).start();
      long t0 = System.nanoTime();
      assertThat(idle.await(Duration.ofSeconds(20))).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
    try (MailFetcher.IdleSession idle = fetcher().idle(imap).orElseThrow()) {
      new Thread(() -> {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        idle.wake();
      }).start();
      long t0 = System.nanoTime();
      assertThat(idle.await(Duration.ofSeconds(20))).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  @Tag("risk7")
  void aPlaintextLoginIsRefusedUnlessAllowedForALoopbackServer() {
    FetchSettings plain = settings(FetchSettings.Protocol.IMAP, FetchTls.NONE, mail.imapPort(), false, false,
        "mail.clinic.example");
    assertThatThrownBy(() -> fetcher().fetch(plain, sink())).isInstanceOf(DirectException.class)
        .hasMessageContaining("without TLS").hasMessageContaining("fetch.allow-plaintext-loopback");

    FetchReport r = fetcher().fetch(settings(FetchSettings.Protocol.IMAP, FetchTls.NONE, mail.imapPort(), false, true,
        "mail.clinic.example"), sink());
    assertThat(r.stored()).hasSize(3);
  }

  @Test
  @Tag("risk7")
  void aPlaintextLoginToARemoteServerIsRefusedEvenWhenLoopbackIsAllowed() {
    FetchSettings remote = settings(FetchSettings.Protocol.POP3, FetchTls.NONE, 110, false, true,
        "remote.clinic.example");
    assertThatThrownBy(() -> fetcher().fetch(remote, sink())).hasMessageContaining("without TLS")
        .hasMessageNotContaining("fetch.allow-plaintext-loopback");
  }

  @Test
  @Tag("risk7")
  void aServerWhoseCertificateNamesAnotherHostIsRefused() throws Exception {
    dns.serve(TestZone.named("clinic.example").a("mail.clinic.example", "127.0.0.1")
        .a("imap.clinic.example", "127.0.0.1").unsigned());

    assertThatThrownBy(() -> fetcher().fetch(settings(FetchSettings.Protocol.IMAP, FetchTls.IMPLICIT, mail.imapsPort(),
        false, false, "imap.clinic.example"), sink())).isInstanceOf(DirectException.class)
        .hasMessageContaining("No subject alternative DNS name matching imap.clinic.example");
    assertThat(Files.list(dir.resolve("mail").resolve("inbox").resolve("new"))).isEmpty();
  }

  @Test
  void anotherClientExpungingDuringAFetchMakesNoMessageMisfiledOrLost() throws Exception {
    for (int i = 4; i <= 40; i++) {
      send("message " + i);
    }
    assertThat(mail.waitForMessages(40, 10_000)).isTrue();
    Properties props = new Properties();
    jakarta.mail.Store other = Session.getInstance(props).getStore("imap");
    other.connect("127.0.0.1", mail.imapPort(), "bob", "bob-secret");
    jakarta.mail.Folder inbox = other.getFolder("INBOX");
    inbox.open(jakarta.mail.Folder.READ_WRITE);
    java.util.Map<String, String> idByUid = new java.util.HashMap<>();
    for (Message m : inbox.getMessages()) {
      idByUid.put(Long.toString(((jakarta.mail.UIDFolder) inbox).getUID(m)), ((MimeMessage) m).getMessageID());
    }
    java.util.Set<String> removedByOther = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread expunger = new Thread(() -> {
      try {
        for (int round = 0; round < 10; round++) {
          Message[] now = inbox.getMessages();
          if (now.length < 2) {
            break;
          }
          Message m = now[now.length / 2];
          removedByOther.add(((MimeMessage) m).getMessageID());
          m.setFlag(jakarta.mail.Flags.Flag.DELETED, true);
          inbox.expunge();
          Thread.sleep(15);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    MessageSink slow = new MessageSink() {
      @Override
      public boolean contains(String source) {
        return mailbox.contains(source);
      }

      @Override
      public StoredMessage accept(String source, Path raw) {
        try {
          Thread.sleep(10); // a real receiver decrypts and checks: the other client gets to act meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return mailbox.store(Folder.INBOX, source, raw, Optional.empty(), HeaderSummary.of(raw, "test", ""));
      }
    };
    FetchSettings keepNothing = settings(FetchSettings.Protocol.IMAP, FetchTls.IMPLICIT, mail.imapsPort(), false, false,
        "mail.clinic.example");

    expunger.start();
    FetchReport first = fetcher().fetch(keepNothing, slow);
    expunger.join();
    inbox.close(false);
    other.close();
    FetchReport second = fetcher().fetch(keepNothing, slow);

    for (StoredMessage m : mailbox.list(Folder.INBOX)) {
      String uid = m.source().substring(m.source().lastIndexOf("UID=") + 4);
      assertThat(m.summary().messageId()).as("stored under UID %s", uid).isEqualTo(idByUid.get(uid));
    }
    java.util.Set<String> stored = new java.util.HashSet<>(mailbox.list(Folder.INBOX).stream()
        .map(m -> m.summary().messageId()).toList());
    assertThat(stored).hasSize(mailbox.list(Folder.INBOX).size());
    for (String id : idByUid.values()) {
      assertThat(stored.contains(id) || removedByOther.contains(id)).as("%s lost (first fetch left %s)", id,
          first.leftForLater()).isTrue();
    }
    assertThat(second.leftForLater()).isEmpty();
  }

  @Test
  void aLargeMessageArrivesWholeAndChecked() throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
    MimeMessage m = new MimeMessage(Session.getInstance(p));
    m.setFrom(new InternetAddress("alice@hospital.example"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@clinic.example"));
    m.setSubject("large");
    m.setText("line of a large message\r\n".repeat(200_000)); // about 5 MB
    Transport.send(m);
    assertThat(mail.waitForMessages(4, 10_000)).isTrue();
    long t0 = System.nanoTime();

    List<long[]> reports = new java.util.ArrayList<>();
    FetchReport r = fetcher().fetch(settings(FetchSettings.Protocol.IMAP, FetchTls.IMPLICIT, mail.imapsPort(), false,
        false, "mail.clinic.example"), sink(), (n, of, bytes, size) -> reports.add(new long[] {n, of, bytes, size}));

    long ms = (System.nanoTime() - t0) / 1_000_000;
    // the large one is reported as it comes, about every MiB, up to its size; the small ones not at all
    assertThat(reports).hasSizeGreaterThan(3);
    assertThat(reports).allSatisfy(x -> assertThat(x[1]).isEqualTo(4));
    assertThat(reports.get(reports.size() - 1)[2]).isGreaterThanOrEqualTo(reports.get(0)[3]);
    assertThat(reports).extracting(x -> x[2]).isSorted();
    assertThat(r.leftForLater()).isEmpty();
    StoredMessage big = r.stored().stream().filter(x -> "large".equals(x.summary().subject())).findFirst().orElseThrow();
    assertThat(big.size()).isGreaterThan(4_000_000);
    // the rate is reported, never asserted (these machines are noisy); bench and docs/benchmarks.md hold the figures
    System.out.printf("fetched %d bytes over IMAPS from GreenMail in %d ms%n", big.size(), ms);
  }

  /** Thrown by a progress listener to cut a download off, as a dropped connection would. */
  private static final class CutOff extends RuntimeException {
    CutOff() {
      super("cut off");
    }
  }

  @Test
  void anInterruptedLargeDownloadIsContinuedWhereItStoppedNotStartedAgain() throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
    MimeMessage m = new MimeMessage(Session.getInstance(p));
    m.setFrom(new InternetAddress("alice@hospital.example"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@clinic.example"));
    m.setSubject("large");
    String text = "line of a large message\r\n".repeat(260_000); // about 6.5 MB
    m.setText(text);
    Transport.send(m);
    assertThat(mail.waitForMessages(4, 10_000)).isTrue();
    FetchSettings s = settings(FetchSettings.Protocol.IMAP, FetchTls.IMPLICIT, mail.imapsPort(), false, false,
        "mail.clinic.example");

    // the first fetch is cut off once 3 MiB of the large message are on disk
    assertThatThrownBy(() -> fetcher().fetch(s, sink(), (n, of, bytes, size) -> {
      if (bytes >= 3 << 20) {
        throw new CutOff();
      }
    })).isInstanceOf(CutOff.class);
    assertThat(mailbox.list(Folder.INBOX).stream().map(x -> x.summary().subject())).doesNotContain("large");
    try (var kept = Files.list(dir.resolve("partial"))) {
      assertThat(kept.toList()).singleElement().satisfies(f -> {
        assertThat(Files.size(f)).isEqualTo(3L << 20);
        assertThat(Files.getPosixFilePermissions(f)).containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
      });
    }

    List<Long> second = new java.util.ArrayList<>();
    FetchReport r = fetcher().fetch(s, sink(), (n, of, bytes, size) -> second.add(bytes));

    // it went on from 3 MiB, and what it stored is the whole message, checked, and the partial file is gone
    assertThat(second.get(0)).isEqualTo(3L << 20);
    assertThat(r.leftForLater()).isEmpty();
    StoredMessage big = mailbox.list(Folder.INBOX).stream().filter(x -> "large".equals(x.summary().subject()))
        .findFirst().orElseThrow();
    MimeMessage back = new MimeMessage(Session.getInstance(new Properties()), Files.newInputStream(big.file()));
    // every line, in order (a parser may drop the final line break)
    assertThat(((String) back.getContent()).replace("\r\n", "\n").stripTrailing())
        .isEqualTo(text.replace("\r\n", "\n").stripTrailing());
    try (var kept = Files.list(dir.resolve("partial"))) {
      assertThat(kept.toList()).isEmpty();
    }
    assertThat(fetcher().fetch(s, sink()).alreadyStored()).isZero(); // removed from the server once stored
  }
}
