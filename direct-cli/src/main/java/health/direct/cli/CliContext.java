package health.direct.cli;

import health.direct.core.incoming.IncomingProcessor;
import health.direct.core.outgoing.OutgoingProcessor;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.Courier;
import health.direct.core.outbox.Outbox;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.smime.SealOptions;
import health.direct.core.store.AnchorStore;
import health.direct.core.store.ContactStore;
import health.direct.core.store.DirectHome;
import health.direct.core.store.DiscoveryConfig;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.MailConfig;
import health.direct.core.store.PasswordSource;
import health.direct.core.store.SecretStore;
import health.direct.core.trust.TrustValidator;
import health.direct.transport.client.DirectClient;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.fetch.FetchSettings;
import health.direct.transport.fetch.MailFetcher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a command needs: the home folder found from the options and environment, the store
 * password's source, the settings with the command-line DNS options on top, and the
 * {@link DirectClient} built from them.
 */
final class CliContext {
  static final String SERVER_PASSWORD = DirectClient.SERVER_PASSWORD;

  final DirectHome home;
  final Clock clock = Clock.systemUTC();
  private final Optional<Path> passwordFile;
  private final Map<String, String> env;
  private final List<String> dnsServers;
  private final Optional<String> dnssecAnchors;
  private DirectClient client;

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

  /** The client, built on first use from config.properties with the command-line options on top. */
  DirectClient client() {
    if (client == null) {
      HomeConfig c = HomeConfig.load(home.configFile());
      DiscoveryConfig d = c.discovery();
      DiscoveryConfig withOptions = d.withDns(dnsServers.isEmpty() ? d.dnsServers() : dnsServers,
          dnssecAnchors.orElse(d.dnssecAnchors()), d.requireDnssec());
      client = new DirectClient(home, password(), c.withDiscovery(withOptions), clock);
    }
    return client;
  }

  HomeConfig config() {
    return client().config();
  }

  MailConfig mail() {
    return client().mail();
  }

  IdentityStore identities() {
    return client().identities();
  }

  AnchorStore anchors() {
    return client().anchors();
  }

  ContactStore contacts() {
    return client().contacts();
  }

  SecretStore secrets() {
    return client().secrets();
  }

  /**
   * What {@code address} publishes (address book ignored), judged with the anchors of
   * {@code localFrom} (null: the unscoped anchors); for contacts discover and verify.
   */
  health.direct.core.resolve.Discovery discoverPublished(health.direct.core.address.DirectAddress address,
      String localFrom) {
    return discovery().discoverPublished(address, anchors().load().forLocal(localFrom == null ? null
        : health.direct.core.address.DirectAddress.parse(localFrom)));
  }

  CertificateDiscovery discovery() {
    return client().discovery();
  }

  OutgoingProcessor outgoing(SealOptions options) {
    return client().outgoing(options);
  }

  IncomingProcessor incoming() {
    return client().incoming();
  }

  Outbox outbox() {
    return client().outbox();
  }

  Mailbox mailbox() {
    return client().mailbox();
  }

  MailFetcher fetcher() {
    return client().fetcher();
  }

  FetchSettings fetchSettings() {
    return client().fetchSettings();
  }
}
