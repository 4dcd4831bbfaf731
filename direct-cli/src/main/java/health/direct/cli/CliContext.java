package health.direct.cli;

import health.direct.core.agent.IncomingProcessor;
import health.direct.core.agent.OutgoingProcessor;
import health.direct.core.resolve.RecipientSelector;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.resolve.AddressBookResolver;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.resolve.CertificateResolver;
import health.direct.core.store.DiscoveryConfig;
import health.direct.transport.discovery.PublishedSources;
import health.direct.transport.dns.DnsClient;
import health.direct.core.smime.MessageOpener;
import health.direct.core.smime.MessageSealer;
import health.direct.core.smime.SealOptions;
import health.direct.core.store.AnchorStore;
import health.direct.core.store.ContactStore;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.PasswordSource;
import health.direct.core.trust.TrustValidator;
import health.direct.transport.http.HttpFetcher;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.cert.CertificateReader;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.Courier;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.RetryPolicy;
import health.direct.core.store.MailConfig;
import health.direct.core.store.SecretStore;
import health.direct.transport.fetch.FetchSettings;
import health.direct.transport.fetch.FetchTls;
import health.direct.transport.fetch.MailFetcher;
import health.direct.transport.net.HostResolver;
import health.direct.transport.smtp.MxResolver;
import health.direct.transport.smtp.SmtpDelivery;
import health.direct.transport.smtp.SmtpSettings;
import health.direct.transport.smtp.StartTlsPolicy;
import health.direct.transport.tls.TlsTrust;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the parts a command needs from the home folder and its settings. */
final class CliContext {
  final DirectHome home;
  final Clock clock = Clock.systemUTC();
  private final Optional<Path> passwordFile;
  private final Map<String, String> env;
  private final List<String> dnsServers;
  private final Optional<String> dnssecAnchors;
  private HomeConfig config;
  private DnsClient dns;

  CliContext(Optional<Path> homeFlag, Optional<Path> passwordFile, Map<String, String> env, List<String> dnsServers,
      Optional<String> dnssecAnchors) {
    this.home = DirectHome.locate(homeFlag, env).create();
    this.passwordFile = passwordFile;
    this.env = env;
    this.dnsServers = List.copyOf(dnsServers);
    this.dnssecAnchors = dnssecAnchors;
  }

  PasswordSource password() {
    if (passwordFile.isPresent()) {
      return PasswordSource.file(passwordFile.get());
    }
    String v = env.get("DIRECT_PASSWORD");
    if (v != null && !v.isEmpty()) {
      return PasswordSource.env("DIRECT_PASSWORD", env);
    }
    return PasswordSource.prompt("Store password for " + home.root());
  }

  HomeConfig config() {
    if (config == null) {
      config = HomeConfig.load(home.configFile());
    }
    return config;
  }

  IdentityStore identities() {
    return new IdentityStore(home, password(), clock);
  }

  AnchorStore anchors() {
    return new AnchorStore(home);
  }

  ContactStore contacts() {
    return new ContactStore(home);
  }

  TrustValidator validator() {
    return new TrustValidator(clock, HttpFetcher.withDefaults(), config().revocation());
  }

  /** Discovery settings from config.properties, with the command-line options on top. */
  DiscoveryConfig discoveryConfig() {
    DiscoveryConfig c = config().discovery();
    return new DiscoveryConfig(dnsServers.isEmpty() ? c.dnsServers() : dnsServers, c.dnsTimeout(),
        dnssecAnchors.orElse(c.dnssecAnchors()), c.requireDnssec(), c.smimea(), c.ldap(), c.ldapTimeout(),
        c.pinning());
  }

  /** The DNS client, built on first use so that commands that never ask DNS never need a server. */
  DnsClient dns() {
    if (dns == null) {
      dns = PublishedSources.dnsClient(discoveryConfig(), clock);
    }
    return dns;
  }

  CertificateDiscovery discovery() {
    DiscoveryConfig c = discoveryConfig();
    CertificateResolver published = address -> CertificateResolver
        .firstFound(PublishedSources.of(dns(), HttpFetcher.withDefaults(), c)).resolve(address);
    return new CertificateDiscovery(new AddressBookResolver(contacts()), List.of(published),
        new RecipientSelector(validator()), c.pinning());
  }

  OutgoingProcessor outgoing(SealOptions options) {
    return new OutgoingProcessor(identities(), discovery(), anchors().load(),
        options, new MessageSealer(CryptoProviders.detect()), clock);
  }

  MailConfig mail() {
    return config().mail();
  }

  SecretStore secrets() {
    return new SecretStore(home, password());
  }

  /** TLS trust for mail servers: the runtime's CAs plus tls.trust-anchors. */
  TlsTrust tlsTrust() {
    if (mail().tlsAnchors().isEmpty()) {
      return TlsTrust.systemDefault();
    }
    Path f = mail().tlsAnchors().get();
    return TlsTrust.withExtraAnchors(CertificateReader.read(InputFiles.read(f), f.toString()));
  }

  Courier courier() {
    MailConfig m = mail();
    Optional<String> smartHost = m.smartHost().map(h -> h.contains(":") ? h.substring(0, h.lastIndexOf(':')) : h);
    int smartPort = m.smartHost().filter(h -> h.contains(":"))
        .map(h -> Integer.parseInt(h.substring(h.lastIndexOf(':') + 1))).orElse(m.smtpPort());
    SmtpSettings s = new SmtpSettings(m.smtpPort(), smartHost, smartPort, StartTlsPolicy.parse(m.startTls()),
        m.heloName(), m.networkTimeout());
    return new SmtpDelivery(s, new MxResolver(dns(), new SecureRandom()), new HostResolver(dns()), tlsTrust())::deliver;
  }

  Outbox outbox() {
    MailConfig m = mail();
    return new Outbox(home.outbox(), clock, new RetryPolicy(m.retryInitial(), m.retryMax(), m.giveUpAfter()));
  }

  /** The local mailbox; the caller closes it. */
  Mailbox mailbox() {
    return Mailbox.open(home.mail(), clock);
  }

  MailFetcher fetcher() {
    return new MailFetcher(new HostResolver(dns()), tlsTrust(), home.work());
  }

  /** The mailbox account from the configuration; says which keys are missing. */
  FetchSettings fetchSettings() {
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

  static final String SERVER_PASSWORD = "fetch.password";

  IncomingProcessor incoming() {
    return new IncomingProcessor(identities(), anchors().load(), validator(),
        new MessageOpener(CryptoProviders.detect(), home.work()));
  }
}
