package health.direct.cli;

import health.direct.core.agent.IncomingProcessor;
import health.direct.core.agent.OutgoingProcessor;
import health.direct.core.resolve.RecipientSelector;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.resolve.AddressBookResolver;
import health.direct.core.resolve.CertificateDiscovery;
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
  private HomeConfig config;

  CliContext(Optional<Path> homeFlag, Optional<Path> passwordFile, Map<String, String> env) {
    this.home = DirectHome.locate(homeFlag, env).create();
    this.passwordFile = passwordFile;
    this.env = env;
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

  CertificateDiscovery discovery() {
    return new CertificateDiscovery(new AddressBookResolver(contacts()), List.of(),
        new RecipientSelector(validator()), true);
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
