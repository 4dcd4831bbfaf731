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
import java.nio.file.Path;
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

  IncomingProcessor incoming() {
    return new IncomingProcessor(identities(), anchors().load(), validator(),
        new MessageOpener(CryptoProviders.detect(), home.work()));
  }
}
