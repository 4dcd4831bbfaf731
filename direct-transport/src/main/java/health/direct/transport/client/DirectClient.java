package health.direct.transport.client;

import health.direct.core.policy.UnsecuredMailPolicy;
import health.direct.core.notifications.CourtesyNotices;
import health.direct.core.address.DirectAddress;
import health.direct.core.mailbox.MessageSummary;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.dlp.DlpReport;
import health.direct.core.dlp.PhiScanner;
import health.direct.core.dlp.PhiRules;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.notifications.FailureNotices;
import health.direct.core.incoming.IncomingProcessor;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.outgoing.OutgoingProcessor;
import health.direct.core.incoming.Receiver;
import health.direct.core.cert.CertificateReader;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.Courier;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outbox.OutboxWorker;
import health.direct.core.outbox.RetryPolicy;
import health.direct.core.outbox.ReceiptPolicy;
import health.direct.core.notifications.Notifications;
import health.direct.core.compose.MessageComposer;
import health.direct.core.resolve.AddressBookResolver;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.resolve.CertificateResolver;
import health.direct.core.resolve.RecipientSelector;
import health.direct.core.smime.MessageOpener;
import health.direct.core.smime.MessageSealer;
import health.direct.core.smime.SealOptions;
import health.direct.core.store.AnchorStore;
import health.direct.core.store.ContactStore;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.MailConfig;
import health.direct.core.store.PasswordSource;
import health.direct.core.store.SecretStore;
import health.direct.core.trust.TrustValidator;
import health.direct.transport.discovery.PublishedSources;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.fetch.FetchReport;
import health.direct.transport.fetch.FetchSettings;
import health.direct.transport.fetch.FetchTls;
import health.direct.transport.fetch.MailFetcher;
import health.direct.transport.http.HttpFetcher;
import health.direct.transport.net.HostResolver;
import health.direct.transport.smtp.MxResolver;
import health.direct.transport.smtp.SmtpDelivery;
import health.direct.transport.smtp.SmtpSettings;
import health.direct.transport.smtp.StartTlsPolicy;
import health.direct.transport.tls.TlsTrust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One user's Direct client, assembled from a home folder and its configuration: the stores, trust,
 * discovery, sealing and opening, the outbox, delivery, fetching and the mailbox. Front ends (the
 * command line, the sandbox) build one of these and call it; nothing here prints.
 *
 * <pre>{@code
 * DirectClient client = new DirectClient(home, PasswordSource.env("DIRECT_PASSWORD"),
 *     HomeConfig.load(home.configFile()), Clock.systemUTC());
 * try (Mailbox box = client.mailbox()) {
 *   client.deliverDue(box, failure -> System.err.println(failure.reason()));
 *   client.fetch(box);
 * }
 * }</pre>
 */
public final class DirectClient {
  /** The name of the mail server password in the secret store. */
  public static final String SERVER_PASSWORD = "fetch.password";

  private final DirectHome home;
  private final PasswordSource password;
  private final HomeConfig config;
  private final Clock clock;
  private DnsClient dns;

  public DirectClient(DirectHome home, PasswordSource password, HomeConfig config, Clock clock) {
    this.home = home;
    this.password = password;
    this.config = config;
    this.clock = clock;
  }

  public DirectHome home() {
    return home;
  }

  public Clock clock() {
    return clock;
  }

  public HomeConfig config() {
    return config;
  }

  public MailConfig mail() {
    return config.mail();
  }

  public IdentityStore identities() {
    return new IdentityStore(home, password, clock);
  }

  public AnchorStore anchors() {
    return new AnchorStore(home);
  }

  public ContactStore contacts() {
    return new ContactStore(home);
  }

  public SecretStore secrets() {
    return new SecretStore(home, password);
  }

  public TrustValidator validator() {
    return new TrustValidator(clock, HttpFetcher.withDefaults(), config.revocation());
  }

  /** The DNS client, built on first use so that work that never asks DNS never needs a server. */
  public DnsClient dns() {
    if (dns == null) {
      dns = PublishedSources.dnsClient(config.discovery(), clock);
    }
    return dns;
  }

  /** The address book, then DNS CERT (and SMIMEA when on), then LDAP. */
  public CertificateDiscovery discovery() {
    CertificateResolver published = address -> CertificateResolver
        .firstFound(PublishedSources.of(dns(), HttpFetcher.withDefaults(), config.discovery())).resolve(address);
    return new CertificateDiscovery(new AddressBookResolver(contacts()), List.of(published),
        new RecipientSelector(validator()), config.discovery().pinning());
  }

  /**
   * The sealing step. The outer Subject is the one header every server sees (risk 4): a configured
   * one that looks like PHI is refused before anything is sealed.
   */
  public OutgoingProcessor outgoing(SealOptions options) {
    DlpReport subject = new PhiScanner(
        PhiRules.load(dlpRulesFile())).scanText("seal.outer-subject", options.outerSubject());
    if (!subject.passed()) {
      throw new DirectException(Problem.PHI_FOUND, "the configured outer Subject (seal.outer-subject) looks like PHI ("
          + String.join("; ", subject.findings().stream().map(Object::toString).toList())
          + "); every mail server would see it: use neutral text such as 'Secure health message'");
    }
    return new OutgoingProcessor(identities(), discovery(), anchors().load(), options,
        new MessageSealer(CryptoProviders.detect()), clock);
  }

  public IncomingProcessor incoming() {
    return new IncomingProcessor(identities(), anchors().load(), validator(),
        new MessageOpener(CryptoProviders.detect(), home.work()));
  }

  /** TLS trust for mail servers: the runtime's CAs plus tls.trust-anchors. */
  public TlsTrust tlsTrust() {
    if (mail().tlsAnchors().isEmpty()) {
      return TlsTrust.systemDefault();
    }
    Path f = mail().tlsAnchors().get();
    try {
      return TlsTrust.withExtraAnchors(CertificateReader.read(Files.readAllBytes(f), f.toString()));
    } catch (IOException e) {
      throw new DirectException(Problem.CONFIG, "cannot read tls.trust-anchors " + f + ": " + e.getMessage(), e);
    }
  }

  public MxResolver mxResolver() {
    return new MxResolver(dns(), new SecureRandom());
  }

  /** SMTP delivery by MX (or the smart host) with the configured port and STARTTLS policy. */
  public Courier courier() {
    MailConfig m = mail();
    Optional<String> smartHost = m.smartHost().map(h -> h.contains(":") ? h.substring(0, h.lastIndexOf(':')) : h);
    int smartPort = m.smartHost().filter(h -> h.contains(":"))
        .map(h -> Integer.parseInt(h.substring(h.lastIndexOf(':') + 1))).orElse(m.smtpPort());
    SmtpSettings s = new SmtpSettings(m.smtpPort(), smartHost, smartPort, StartTlsPolicy.parse(m.startTls()),
        m.heloName(), m.networkTimeout());
    return new SmtpDelivery(s, mxResolver(), new HostResolver(dns()), tlsTrust(), Optional.of(dns()))::deliver;
  }

  public Outbox outbox() {
    MailConfig m = mail();
    return new Outbox(home.outbox(), clock, new RetryPolicy(m.retryInitial(), m.retryMax(), m.giveUpAfter()),
        new ReceiptPolicy(m.processedTimeout(), m.dispatchedTimeout()));
  }

  /** The local mailbox; the caller closes it. */
  public Mailbox mailbox() {
    return Mailbox.open(home.mail(), clock);
  }

  public MessageSender sender(Mailbox mailbox) {
    return new MessageSender(outgoing(config.sealOptions()), outbox(), mailbox, home.work());
  }

  /** Composes new messages; they ask for notifications as notifications.timely-reliable says. */
  public MessageComposer composer() {
    return new MessageComposer(clock, mail().timelyAndReliable());
  }

  /** Answers received messages and tracks notifications about ours; {@code log} hears what it did. */
  public Notifications notifications(Mailbox mailbox, Consumer<String> log) {
    MessageSender sender = sender(mailbox);
    return new Notifications(outbox(), plain -> sender.queue(plain), clock, REPORTING_UA, home.work(), log);
  }

  /** The data-loss-prevention rules file (docs/dlp.md); the built-in rules when it is absent. */
  public Path dlpRulesFile() {
    return home.root().resolve("dlp-rules.properties");
  }

  /** Our name in the MDNs we send (Reporting-UA). */
  public static final String REPORTING_UA = "direct (health.direct)";

  public MailFetcher fetcher() {
    return new MailFetcher(new HostResolver(dns()), tlsTrust(), home.work());
  }

  /** The mailbox account from the configuration; says which keys are missing. */
  public FetchSettings fetchSettings() {
    MailConfig m = mail();
    if (m.fetchHost().isEmpty() || m.fetchUser().isEmpty()) {
      throw new DirectException(Problem.CONFIG, "no mailbox configured: set fetch.host and fetch.user (and "
          + "fetch.protocol, fetch.tls, fetch.port if not the defaults) in " + home.configFile()
          + ", then store the password with 'direct account set-password'");
    }
    FetchSettings.Protocol protocol = FetchSettings.Protocol.parse(m.fetchProtocol());
    FetchTls tls = FetchTls.parse(m.fetchTls());
    SecretStore secrets = secrets();
    return new FetchSettings(protocol, m.fetchHost().get(), m.fetchPort().orElse(protocol.defaultPort(tls)), tls,
        m.fetchUser().get(), () -> secrets.get(SERVER_PASSWORD).orElseThrow(() -> new DirectException(Problem.CONFIG,
            "no password stored for " + m.fetchUser().get() + "@" + m.fetchHost().get()
                + ": run 'direct account set-password'")),
        m.fetchFolder(), m.keepOnServer(), m.allowPlaintextLoopback(), m.networkTimeout());
  }

  /**
   * Delivers what is due in the outbox; each final failure becomes a notice in the sender's inbox
   * (AS-15) and is passed to {@code onFailure}.
   */
  public OutboxWorker.Round deliverDue(Mailbox mailbox, Consumer<OutboxWorker.Failure> onFailure) {
    Outbox outbox = outbox();
    OutboxWorker.Round round = new OutboxWorker(outbox, courier()).deliverDue();
    FailureNotices notices = new FailureNotices(mailbox, home.work(), clock);
    List<OutboxWorker.Failure> failures = new java.util.ArrayList<>(round.failed());
    // notifications that did not come in time are failures too (DN-08)
    for (Outbox.TimedOut t : outbox.expireReceipts()) {
      failures.add(new OutboxWorker.Failure(t.entry().id(), t.entry().messageId(), t.recipient(), t.reason()));
    }
    for (OutboxWorker.Failure f : failures) {
      OutboxEntry e = outbox.find(f.outboxId()).orElseThrow();
      notices.deliveryFailed(f, e.from());
      onFailure.accept(f);
    }
    return new OutboxWorker.Round(round.delivered(), round.retrying(), failures);
  }

  /**
   * Fetches new mail into the inbox (trusted), the quarantine (everything else) or the receipts
   * (notifications), answering trusted messages with notifications; {@code log} hears about those.
   */
  public FetchReport fetch(Mailbox mailbox, Consumer<String> log) {
    Optional<DirectAddress> self = mail().address()
        .map(DirectAddress::parse);
    Receiver receiver = new Receiver(incoming(), mailbox, home.work(), Optional.of(notifications(mailbox, log)), self);
    UnsecuredMailPolicy policy = config.unsecured();
    Optional<CourtesyNotices> courtesy = policy.courtesyNotice()
        ? Optional.of(new CourtesyNotices(mailbox, policy, clock, home.work(),
            notice -> queueCourtesy(mailbox, notice)))
        : Optional.empty();
    receiver.unsecuredMail(policy, courtesy, log);
    return fetcher().fetch(fetchSettings(), receiver);
  }

  /**
   * Queues a courtesy notice (risk 8): sealed when its recipient can be secured; otherwise as it
   * is, since the sender of unsecured mail usually has no certificate. This is the one message the
   * client ever sends unencrypted, it is off unless unsecured.courtesy-notice is set, and its text
   * is fixed: it carries nothing from the message it answers.
   */
  private void queueCourtesy(Mailbox mailbox, Path notice) {
    try {
      sender(mailbox).queue(notice);
    } catch (DirectException e) {
      if (e.problem() != Problem.NO_TRUSTED_RECIPIENT) {
        throw e;
      }
      MessageSummary s = HeaderSummary.of(notice, "", "");
      outbox().enqueue(notice, s.messageId(), DirectAddress.parse(
          Notifications.parseAddress(s.from())), List.of(DirectAddress.parse(
          Notifications.parseAddress(s.to()))), OutboxEntry.Expectation.NONE);
    }
  }
}
