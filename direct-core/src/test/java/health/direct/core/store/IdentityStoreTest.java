package health.direct.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.smime.DecryptionKey;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local identities: import, choice of key, and keys decrypted only when used. */
class IdentityStoreTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
  static final TestIdentity carol = pki.issue(LeafSpec.address("carol@hospital.example"));
  static final TestIdentity org = pki.issue(LeafSpec.domain("hospital.example"));

  @TempDir
  Path dir;
  final AtomicInteger passwordUses = new AtomicInteger();
  IdentityStore store;

  @BeforeEach
  void store() {
    PasswordSource counting = new PasswordSource() {
      @Override
      public char[] get() {
        passwordUses.incrementAndGet();
        return "store-pw".toCharArray();
      }

      @Override
      public String describe() {
        return "test";
      }
    };
    store = new IdentityStore(new DirectHome(dir).create(), counting, Clock.systemUTC());
    char[] pw = "p12".toCharArray();
    store.importPkcs12(alice.toPkcs12(pw), pw, Optional.empty());
    store.importPkcs12(carol.toPkcs12(pw), pw, Optional.empty());
    store.importPkcs12(org.toPkcs12(pw), pw, Optional.empty());
    passwordUses.set(0);
  }

  @Test
  void ownersComeFromTheCertificate() {
    assertThat(store.list()).extracting(IdentityInfo::owner)
        .containsExactly("alice@hospital.example", "carol@hospital.example", "hospital.example");
  }

  @Test
  void signingDecryptsOnlyTheChosenKey() {
    assertThat(store.signingIdentity(DirectAddress.parse("Alice@hospital.example")).orElseThrow().certificate())
        .isEqualTo(alice.certificate());
    assertThat(passwordUses.get()).isEqualTo(1);
    assertThat(store.encryptionCertificate(DirectAddress.parse("carol@hospital.example"))).contains(carol.certificate());
    assertThat(passwordUses.get()).isEqualTo(1); // certificates need no password
  }

  @Test
  void anAddressWithoutItsOwnIdentityUsesTheDomainIdentity() {
    assertThat(store.signingIdentity(DirectAddress.parse("dave@hospital.example")).orElseThrow().certificate())
        .isEqualTo(org.certificate());
    assertThat(store.signingIdentity(DirectAddress.parse("dave@clinic.example"))).isEmpty();
  }

  @Test
  void decryptionKeysAreDecryptedOnlyWhenUsed() {
    List<DecryptionKey> keys = store.decryptionKeys();
    assertThat(keys).hasSize(3);
    assertThat(passwordUses.get()).isZero();
    keys.get(0).privateKey();
    keys.get(0).privateKey();
    assertThat(passwordUses.get()).isEqualTo(1);
  }

  @Test
  void expiredIdentityIsNotChosen() {
    Instant now = Instant.now();
    TestIdentity old = pki.issue(LeafSpec.address("old@hospital.example")
        .withValidity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))));
    char[] pw = "p12".toCharArray();
    store.importPkcs12(old.toPkcs12(pw), pw, Optional.empty());
    // falls back to the organisation's domain-bound identity rather than sign with an expired key
    assertThat(store.signingIdentity(DirectAddress.parse("old@hospital.example")).orElseThrow().certificate())
        .isEqualTo(org.certificate());
  }

  @Test
  void importRefusesAWrongPasswordAndACertificateForAnotherAddress() {
    assertThatThrownBy(() -> store.importPkcs12(alice.toPkcs12("right".toCharArray()), "wrong".toCharArray(),
        Optional.empty())).isInstanceOfSatisfying(DirectException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_INPUT)).hasMessageContaining("wrong password");
    char[] pw = "p12".toCharArray();
    assertThatThrownBy(() -> store.importPkcs12(alice.toPkcs12(pw), pw,
        Optional.of(DirectAddress.parse("bob@clinic.example")))).hasMessageContaining("is not bound to bob@clinic.example");
  }

  @Test
  void importingUnderAnotherStorePasswordIsRefusedAndWritesNothing() throws Exception {
    IdentityStore other = new IdentityStore(new DirectHome(dir), PasswordSource.of("not-the-store-pw".toCharArray()),
        Clock.systemUTC());
    TestIdentity dave = pki.issue(LeafSpec.address("dave@hospital.example"));
    char[] pw = "p12".toCharArray();
    long before;
    try (var files = java.nio.file.Files.list(new DirectHome(dir).identities())) {
      before = files.count();
    }

    assertThatThrownBy(() -> other.importPkcs12(dave.toPkcs12(pw), pw, Optional.empty()))
        .isInstanceOfSatisfying(DirectException.class, e -> assertThat(e.problem()).isEqualTo(Problem.STORE))
        .hasMessageContaining("under a different store password").hasMessageContaining("nothing was imported");
    try (var files = java.nio.file.Files.list(new DirectHome(dir).identities())) {
      assertThat(files.count()).isEqualTo(before);
    }
    assertThat(store.list()).extracting(IdentityInfo::owner).doesNotContain("dave@hospital.example");
  }
}
