package health.direct.interop;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.address.DirectAddress;
import health.direct.core.incoming.IncomingProcessor;
import health.direct.core.smime.LocalIdentities;
import health.direct.core.outgoing.OutgoingProcessor;
import health.direct.core.incoming.Receiver;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.MessageSink;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.resolve.FoundCertificate;
import health.direct.core.resolve.RecipientSelector;
import health.direct.core.resolve.Resolution;
import health.direct.core.smime.MessageOpener;
import health.direct.core.smime.MessageSealer;
import health.direct.core.smime.SealOptions;
import health.direct.core.smime.SigningIdentity;
import health.direct.core.trust.RevocationPolicy;
import health.direct.core.trust.TrustAnchors;
import health.direct.core.trust.TrustValidator;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.dns.DnsSettings;
import health.direct.transport.fetch.FetchReport;
import health.direct.transport.fetch.FetchSettings;
import health.direct.transport.fetch.FetchTls;
import health.direct.transport.fetch.MailFetcher;
import health.direct.transport.http.HttpFetcher;
import health.direct.transport.net.HostResolver;
import health.direct.transport.tls.TlsTrust;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching from Dovecot, a real IMAP/POP3 server: STARTTLS and implicit TLS, and a sealed message that survives it. */
class DovecotInteropTest {
  static final DirectAddress ALICE = DirectAddress.parse("alice@hospital.example");
  static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address(ALICE.toString()));
  static final TestIdentity bob = pki.issue(LeafSpec.address(BOB.toString()));

  Dovecot dovecot;
  DnsResponder dns;
  Mailbox mailbox;
  @TempDir
  Path dir;

  @BeforeEach
  void start() throws Exception {
    dovecot = Dovecot.start(pki.issue(LeafSpec.tlsServer("mail.clinic.example")), "bob", "bob-secret");
    dns = DnsResponder.start().serve(TestZone.named("clinic.example").a("mail.clinic.example", "127.0.0.1").unsigned());
    mailbox = Mailbox.open(dir.resolve("mail"), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    mailbox.close();
    dns.close();
    dovecot.close();
  }

  private MailFetcher fetcher() {
    DnsClient client = new DnsClient(DnsSettings.of(List.of(dns.hostAndPort()), Duration.ofSeconds(2), "none", false),
        Clock.systemUTC());
    return new MailFetcher(new HostResolver(client), TlsTrust.withExtraAnchors(List.of(pki.root().certificate())), dir);
  }

  private FetchSettings settings(String protocol, String tls, int port) {
    return new FetchSettings(FetchSettings.Protocol.parse(protocol), "mail.clinic.example", port, FetchTls.parse(tls),
        "bob", "bob-secret"::toCharArray, "INBOX", false, false, Duration.ofSeconds(10));
  }

  private MessageSink sink() {
    return new MessageSink() {
      @Override
      public boolean contains(String source) {
        return mailbox.contains(source);
      }

      @Override
      public StoredMessage accept(String source, Path raw) {
        return mailbox.store(Folder.INBOX, source, raw, Optional.empty(), HeaderSummary.of(raw, "fetched", ""));
      }
    };
  }

  /** A message as a delivery agent stores it: LF line endings. */
  private void deliverPlain(String name, String subject) throws Exception {
    dovecot.deliver("bob", name, ("From: lab@clinic.example\nTo: bob@clinic.example\nSubject: " + subject
        + "\nMessage-ID: <" + name + "@clinic.example>\n\nresult\n").getBytes(StandardCharsets.US_ASCII));
  }

  @ParameterizedTest(name = "{0} with TLS {1}")
  @CsvSource({"imap, starttls", "imap, implicit", "pop3, starttls", "pop3, implicit"})
  @Tag("risk7")
  void everyMessageIsFetchedOnceOverEachProtocolAndTlsMode(String protocol, String tls) throws Exception {
    deliverPlain("m1", "one");
    deliverPlain("m2", "two");
    int port = protocol.equals("imap") ? (tls.equals("implicit") ? dovecot.imaps : dovecot.imap)
        : (tls.equals("implicit") ? dovecot.pop3s : dovecot.pop3);

    FetchReport r;
    try {
      r = fetcher().fetch(settings(protocol, tls, port), sink());
    } catch (RuntimeException e) {
      throw new AssertionError(dovecot.log(), e);
    }
    FetchReport again = fetcher().fetch(settings(protocol, tls, port), sink());

    assertThat(r.stored()).as(dovecot.log()).hasSize(2);
    assertThat(again.stored()).isEmpty();
    assertThat(mailbox.list(Folder.INBOX)).extracting(m -> m.summary().subject()).containsExactlyInAnyOrder("one", "two");
  }

  @Test
  @Tag("risk7")
  void dovecotRefusesAPlaintextLoginAndSoDoWe() throws Exception {
    deliverPlain("m1", "one");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fetcher().fetch(settings("imap", "none", dovecot.imap),
        sink())).hasMessageContaining("without TLS");
  }

  @Test
  void aSealedMessageStoredWithLfLineEndingsOpensAsTrustedAfterTheTripThroughDovecot() throws Exception {
    Path plain = Files.writeString(dir.resolve("plain.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: Referral\r\nMessage-ID: <sealed-1@hospital.example>\r\n\r\nPlease see the patient.\r\n");
    TrustValidator validator = new TrustValidator(Clock.systemUTC(), HttpFetcher.withDefaults(), RevocationPolicy.STRICT);
    CertificateDiscovery discovery = new CertificateDiscovery(a -> new Resolution(a, List.of(new FoundCertificate(
        bob.certificate(), "test", CertificateBinding.of(bob.certificate(), a))), List.of()), List.of(),
        new RecipientSelector(validator), true);
    OutgoingProcessor out = new OutgoingProcessor(LocalIdentities.inMemory(List.of(new SigningIdentity(alice.privateKey(),
        alice.chain()))), discovery, TrustAnchors.of(pki.root().certificate()), SealOptions.builder().build(),
        new MessageSealer(CryptoProviders.detect()), Clock.systemUTC());
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    out.seal(plain, sealed);
    byte[] lf = sealed.toString(StandardCharsets.ISO_8859_1).replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    dovecot.deliver("bob", "sealed1", lf);
    IncomingProcessor in = new IncomingProcessor(LocalIdentities.inMemory(List.of(new SigningIdentity(bob.privateKey(),
        bob.chain()))), TrustAnchors.of(pki.root().certificate()), validator,
        new MessageOpener(CryptoProviders.detect(), dir.resolve("work")));

    FetchReport r = fetcher().fetch(settings("imap", "starttls", dovecot.imap), new Receiver(in, mailbox, dir));

    assertThat(r.stored()).singleElement().satisfies(m -> {
      assertThat(m.folder()).as(m.summary().detail()).isEqualTo(Folder.INBOX);
      assertThat(m.summary().verdict()).isEqualTo("trusted");
      assertThat(m.summary().subject()).isEqualTo("Referral");
    });
  }
}
