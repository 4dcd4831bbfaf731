package health.direct.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.address.DirectAddress;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.PasswordSource;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One session per process: the person is asked for the store password once, and it is wiped on close. */
class DirectSessionTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
  static final TestIdentity carol = pki.issue(LeafSpec.address("carol@hospital.example"));

  @TempDir
  Path dir;
  DirectHome home;
  final AtomicInteger asked = new AtomicInteger();
  final PasswordSource person = new PasswordSource() {
    @Override
    public char[] get() {
      asked.incrementAndGet();
      return "store-pw".toCharArray();
    }

    @Override
    public String describe() {
      return "a person at a terminal";
    }
  };

  @BeforeEach
  void home() {
    home = new DirectHome(dir).create();
    IdentityStore setup = new IdentityStore(home, PasswordSource.of("store-pw".toCharArray()), Clock.systemUTC());
    char[] pw = "p12".toCharArray();
    setup.importPkcs12(alice.toPkcs12(pw), pw, Optional.empty());
    setup.importPkcs12(carol.toPkcs12(pw), pw, Optional.empty());
  }

  @Test
  void everyKeyAndSecretOfASessionCostsOnePasswordPrompt() {
    try (DirectSession session = DirectSession.open(home, person, HomeConfig.load(home.configFile()),
        Clock.systemUTC())) {
      session.identities().signingIdentity(DirectAddress.parse("alice@hospital.example")).orElseThrow();
      session.identities().signingIdentity(DirectAddress.parse("carol@hospital.example")).orElseThrow();
      session.identities().decryptionKeys().forEach(k -> k.privateKey().getAlgorithm());
      session.secrets().put(DirectSession.SERVER_PASSWORD, "imap-secret".toCharArray());
      session.secrets().get(DirectSession.SERVER_PASSWORD).orElseThrow();
    }

    assertThat(asked).hasValue(1);
  }

  @Test
  void closingTheSessionForgetsThePassword() {
    DirectSession session = DirectSession.open(home, person, HomeConfig.load(home.configFile()), Clock.systemUTC());
    session.secrets().put(DirectSession.SERVER_PASSWORD, "imap-secret".toCharArray());
    session.close();

    session.secrets().get(DirectSession.SERVER_PASSWORD).orElseThrow();

    assertThat(asked).as("asked again after close").hasValue(2);
  }

  @Test
  void aWrongPasswordIsRefusedOnceWithAStoreError() {
    PasswordSource wrong = PasswordSource.of("not-it".toCharArray());
    try (DirectSession session = DirectSession.open(home, wrong, HomeConfig.load(home.configFile()),
        Clock.systemUTC())) {
      assertThatThrownBy(() -> session.identities().signingIdentity(DirectAddress.parse("alice@hospital.example")))
          .isInstanceOf(DirectException.class).hasMessageContaining("store password is wrong");
    }
  }
}
