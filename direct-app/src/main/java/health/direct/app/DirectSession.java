package health.direct.app;

import health.direct.app.deliver.DeliverOutbox;
import health.direct.app.receive.ReceiveMail;
import health.direct.app.send.OuterSubjectRule;
import health.direct.app.send.SendMessage;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.automation.DropFolder;
import health.direct.core.cert.CertificateReader;
import health.direct.core.compose.MessageComposer;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.dlp.PhiRules;
import health.direct.core.dlp.PhiScanner;
import health.direct.core.incoming.IncomingProcessor;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.notifications.Notifications;
import health.direct.core.outbox.Courier;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.ReceiptPolicy;
import health.direct.core.outbox.RetryPolicy;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.outgoing.OutgoingProcessor;
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
import health.direct.core.trust.TrustAnchors;
import health.direct.core.trust.TrustValidator;
import health.direct.transport.discovery.PublishedSources;
import health.direct.transport.dns.DnsClient;
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
 * One user's Direct client for the life of a process, opened from a home folder and its settings:
 * the stores, the trust anchors, the DLP rules and the DNS client are loaded once, and the store
 * password is asked for once (then wiped by {@link #close()}). Front ends (the command line, the
 * sandbox, the drop folder) act only through the use cases it hands out ({@link #send},
 * {@link #deliver}, {@link #receive}, {@link health.direct.app.agent.AgentRound}); nothing here
 * prints.
 *
 * <pre>{@code
 * try (DirectSession session = DirectSession.open(home, PasswordSource.env("DIRECT_PASSWORD"),
 *     HomeConfig.load(home.configFile()), Clock.systemUTC()); Mailbox box = session.mailbox()) {
 *   session.send(box).submit(Path.of("referral.eml"));
 *   session.deliver(box).deliverDue(failure -> System.err.println(failure.reason()));
 * }
 * }</pre>
 */
public final class DirectSession implements AutoCloseable {
  /** The name of the mail server password in the secret store. */
  public static final String SERVER_PASSWORD = "fetch.password";

  /** Our name in the MDNs we send (Reporting-UA). */
  public static final String REPORTING_UA = "direct (health.direct)";

  private final DirectHome home;
  private final PasswordSource.Remembered password;
  private final HomeConfig config;
  private final Clock clock;
  private IdentityStore identities;
  private TrustAnchors anchors;
  private TrustValidator validator;
  private PhiRules dlpRules;
  private DnsClient dns;
  private MessageSealer sealer;

  private DirectSession(DirectHome home, PasswordSource password, HomeConfig config, Clock clock) {
    this.home = home;
    this.password = PasswordSource.askOnce(password);
    this.config = config;
    this.clock = clock;
  }

  /** Opens a session on {@code home}; nothing is read or asked for until a use case needs it. */
  public static DirectSession open(DirectHome home, PasswordSource password, HomeConfig config, Clock clock) {
    return new DirectSession(home, password, config, clock);
  }

  public DirectHome home() {
    return home;
  }

  /**
   * Re-encrypts every key and secret of the home under {@code newPassword} (the current one is the
   * session's); the session's keys are forgotten, so the next use asks for the new password.
   */
  public synchronized health.direct.core.store.PasswordChange.Result changePassword(char[] newPassword) {
    char[] old = password.get();
    try {
      health.direct.core.store.PasswordChange.Result r =
          health.direct.core.store.PasswordChange.run(home, old, newPassword);
      identities = null;
      return r;
    } finally {
      java.util.Arrays.fill(old, '\0');
    }
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

  /** The identity store; its keys are unlocked once each and kept for the session. */
  public synchronized IdentityStore identities() {
    if (identities == null) {
      identities = new IdentityStore(home, password, clock);
    }
    return identities;
  }

  /** The anchor store, for administration; {@link #trustAnchors()} is what trust decisions use. */
  public AnchorStore anchorStore() {
    return new AnchorStore(home);
  }

  /** Forgets the loaded anchors, so that a change made through {@link #anchorStore()} counts from now on. */
  public synchronized void reloadTrustAnchors() {
    anchors = null;
  }

  /** The trust anchors, loaded once per session (again after {@link #reloadTrustAnchors()}). */
  public synchronized TrustAnchors trustAnchors() {
    if (anchors == null) {
      anchors = anchorStore().load();
    }
    return anchors;
  }

  public ContactStore contacts() {
    return new ContactStore(home);
  }

  public SecretStore secrets() {
    return new SecretStore(home, password);
  }

  public synchronized TrustValidator validator() {
    if (validator == null) {
      validator = new TrustValidator(clock, HttpFetcher.withDefaults(), config.revocation());
    }
    return validator;
  }

  /** The DNS client, built on first use so that work that never asks DNS never needs a server. */
  public synchronized DnsClient dns() {
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

  /** The data-loss-prevention rules file (docs/dlp.md); the built-in rules when it is absent. */
  public Path dlpRulesFile() {
    return home.root().resolve("dlp-rules.properties");
  }

  /** The DLP scanner with the home's rules, loaded once per session. */
  public synchronized PhiScanner dlp() {
    if (dlpRules == null) {
      dlpRules = PhiRules.load(dlpRulesFile());
    }
    return new PhiScanner(dlpRules);
  }

  /** The sealing step with the given options, after the outer-Subject rule (risk 4) accepted them. */
  public OutgoingProcessor outgoing(SealOptions options) {
    new OuterSubjectRule(dlp()).check(options);
    return new OutgoingProcessor(identities(), discovery(), trustAnchors(), options, sealer(), clock);
  }

  private synchronized MessageSealer sealer() {
    if (sealer == null) {
      sealer = new MessageSealer(CryptoProviders.detect());
    }
    return sealer;
  }

  public IncomingProcessor incoming() {
    return new IncomingProcessor(identities(), trustAnchors(), validator(),
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
    SmtpDelivery smtp = new SmtpDelivery(s, mxResolver(), new HostResolver(dns()), tlsTrust(), Optional.of(dns()));
    return new Courier() {
      @Override
      public java.util.Map<health.direct.core.address.DirectAddress, health.direct.core.outbox.DeliveryOutcome> deliver(Path message, health.direct.core.address.DirectAddress from,
          List<health.direct.core.address.DirectAddress> to) {
        return smtp.deliver(message, from, to, bytes -> { });
      }

      @Override
      public java.util.Map<health.direct.core.address.DirectAddress, health.direct.core.outbox.DeliveryOutcome> deliver(Path message, health.direct.core.address.DirectAddress from,
          List<health.direct.core.address.DirectAddress> to, java.util.function.LongConsumer sent) {
        return smtp.deliver(message, from, to, sent);
      }
    };
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

  /** The secured sending step alone (seal, sent copy, outbox); {@link #send} adds the policies. */
  public MessageSender sender(Mailbox mailbox) {
    return new MessageSender(outgoing(config.sealOptions()), outbox(), mailbox);
  }

  /** Sending a message: secure-only, or the opt-in unsecured path of risk 1. */
  public SendMessage send(Mailbox mailbox) {
    return new SendMessage(sender(mailbox), config.unsecured(), this::dlp, composer(), home.work());
  }

  /** Delivering what is due in the outbox, with failure notices (AS-15, DN-08). */
  public DeliverOutbox deliver(Mailbox mailbox) {
    return new DeliverOutbox(outbox(), courier(), mailbox, home.work(), clock);
  }

  /** Fetching, opening and filing new mail, and answering it (arcs 5 to 7, risk 8). */
  public ReceiveMail receive(Mailbox mailbox) {
    return new ReceiveMail(this, mailbox);
  }

  /** The EHR's drop folder at {@code root}, submitting each message as {@link #send} does. */
  public DropFolder dropFolder(Path root, Mailbox mailbox) {
    return new DropFolder(root, send(mailbox)::submit, outbox(), clock);
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

  /** Wipes the remembered store password. */
  @Override
  public void close() {
    password.forget();
  }
}
