package health.direct.cli;

import health.direct.core.incoming.IncomingProcessor;
import health.direct.core.outgoing.OutgoingProcessor;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.Courier;
import health.direct.core.outbox.Outbox;
import health.direct.core.smime.SealOptions;
import health.direct.core.store.DirectHome;
import health.direct.core.store.DiscoveryConfig;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.MailConfig;
import health.direct.core.store.PasswordSource;
import health.direct.core.trust.TrustValidator;
import health.direct.app.DirectSession;
import health.direct.transport.dns.DnsClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a command needs: the home folder found from the options and environment, the store
 * password's source, the settings with the command-line DNS options on top, and the
 * {@link DirectSession} opened from them: one per command, so the password is asked once.
 */
final class CliContext {
  final DirectHome home;
  final Clock clock = Clock.systemUTC();
  private final Optional<Path> passwordFile;
  private final Map<String, String> env;
  private final List<String> dnsServers;
  private final Optional<String> dnssecAnchors;
  private DirectSession session;

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
    String question = "Store password for " + home.root();
    return home.holdsEncryptedData() ? PasswordSource.prompt(question) : PasswordSource.promptNew(question);
  }

  /** The session, opened on first use from config.properties with the command-line options on top. */
  DirectSession session() {
    if (session == null) {
      HomeConfig c = HomeConfig.load(home.configFile());
      DiscoveryConfig d = c.discovery();
      DiscoveryConfig withOptions = d.withDns(dnsServers.isEmpty() ? d.dnsServers() : dnsServers,
          dnssecAnchors.orElse(d.dnssecAnchors()), d.requireDnssec());
      session = DirectSession.open(home, password(), c.withDiscovery(withOptions), clock);
    }
    return session;
  }

  HomeConfig config() {
    return session().config();
  }

  MailConfig mail() {
    return session().mail();
  }

  OutgoingProcessor outgoing(SealOptions options) {
    return session().outgoing(options);
  }

  IncomingProcessor incoming() {
    return session().incoming();
  }

  Outbox outbox() {
    return session().outbox();
  }

  Mailbox mailbox() {
    return session().mailbox();
  }
}
