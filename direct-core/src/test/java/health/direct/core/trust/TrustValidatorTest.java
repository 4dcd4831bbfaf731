package health.direct.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.Fixture;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.KeyPurpose;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestCa;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Path validation (AS-10), revocation by CRL and OCSP (TR-05), anchor scopes (TR-01). */
class TrustValidatorTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());

  /** Counts what is fetched, per URL, so caching and fall-backs can be seen. */
  static final class CountingFetcher implements RemoteFetcher {
    final RemoteFetcher delegate = Fixture.http();
    final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    final AtomicInteger posts = new AtomicInteger();

    @Override
    public byte[] get(URI uri) {
      gets.computeIfAbsent(uri.getPath(), k -> new AtomicInteger()).incrementAndGet();
      return delegate.get(uri);
    }

    @Override
    public byte[] post(URI uri, String type, byte[] body) {
      posts.incrementAndGet();
      return delegate.post(uri, type, body);
    }
  }

  static TrustDecision validate(X509Certificate leaf, List<X509Certificate> extra, RevocationPolicy policy) {
    return new TrustValidator(Clock.systemUTC(), Fixture.http(), policy, Duration.ZERO)
        .validate(leaf, extra, List.of(pki.root().certificate()), KeyPurpose.SIGNING);
  }

  /** A CA of its own per test, so forging its revocation data disturbs no other test. */
  static TestCa freshIntermediate(String name) throws Exception {
    return pki.newCa(name, pki.root(), 0);
  }

  @Test
  void leafChainsThroughTheIntermediateToTheRoot() {
    TestIdentity id = pki.issue(LeafSpec.address("a@hospital.example"));
    TrustDecision d = validate(id.certificate(), id.chain(), RevocationPolicy.STRICT);
    assertThat(d).isInstanceOfSatisfying(TrustDecision.Trusted.class, t -> {
      assertThat(t.path()).hasSize(2);
      assertThat(t.anchor()).isEqualTo(pki.root().certificate());
      assertThat(t.notes()).isEmpty();
    });
  }

  @Test
  void goodOcspAnswerIsUsedWhenTheCertificateNamesAResponder() throws Exception {
    TestCa ca = freshIntermediate("OCSP Good CA");
    TestIdentity id = pki.issue(LeafSpec.address("o@hospital.example").issuedBy(ca).withoutRevocationInfo().withOcsp());
    CountingFetcher f = new CountingFetcher();
    TrustDecision d = new TrustValidator(Clock.systemUTC(), f, RevocationPolicy.STRICT, Duration.ZERO)
        .validate(id.certificate(), id.chain(), List.of(pki.root().certificate()), KeyPurpose.SIGNING);
    assertThat(d).isInstanceOfSatisfying(TrustDecision.Trusted.class, t -> assertThat(t.notes()).isEmpty());
    assertThat(f.posts.get()).isEqualTo(1);
  }

  @Test
  void revocationAnsweredByOcspIsRefused() throws Exception {
    TestCa ca = freshIntermediate("OCSP Revoked CA");
    TestIdentity id = pki.issue(LeafSpec.address("r@hospital.example").issuedBy(ca).withoutRevocationInfo().withOcsp());
    pki.revoke(id.certificate());
    TrustDecision d = validate(id.certificate(), id.chain(), RevocationPolicy.STRICT);
    assertThat(d).isInstanceOfSatisfying(TrustDecision.Untrusted.class, u -> {
      assertThat(u.reason()).isEqualTo(TrustDecision.Reason.REVOKED);
      assertThat(u.detail()).contains("OCSP");
    });
  }

  @Test
  void forgedOcspAnswerIsNotBelievedAndTheCrlDecides() throws Exception {
    TestCa ca = freshIntermediate("OCSP Forged CA");
    TestCa rogue = pki.newCa("OCSP Forger", null, 0);
    TestIdentity id = pki.issue(LeafSpec.address("f@hospital.example").issuedBy(ca).withOcsp());
    pki.revoke(id.certificate());
    ca.signRevocationDataWith(rogue);
    // the forged OCSP "revoked" answer is rejected, and so is the CRL with the same forged signature
    TrustDecision d = validate(id.certificate(), id.chain(), RevocationPolicy.STRICT);
    assertThat(d).isInstanceOfSatisfying(TrustDecision.Untrusted.class, u -> {
      assertThat(u.reason()).isEqualTo(TrustDecision.Reason.REVOCATION_UNKNOWN);
      assertThat(u.detail()).contains("OCSP").contains("signature does not verify");
    });
  }

  @Test
  void crlWithAForgedSignatureIsNotUsed() throws Exception {
    TestCa ca = freshIntermediate("CRL Forged CA");
    TestIdentity id = pki.issue(LeafSpec.address("c@hospital.example").issuedBy(ca));
    ca.signRevocationDataWith(pki.newCa("CRL Forger", null, 0));
    TrustDecision strict = validate(id.certificate(), id.chain(), RevocationPolicy.STRICT);
    assertThat(strict).isInstanceOfSatisfying(TrustDecision.Untrusted.class, u -> {
      assertThat(u.reason()).isEqualTo(TrustDecision.Reason.REVOCATION_UNKNOWN);
      assertThat(u.detail()).contains("CRL's signature does not verify");
    });
    TrustDecision lenient = validate(id.certificate(), id.chain(), RevocationPolicy.BEST_EFFORT);
    assertThat(lenient).isInstanceOfSatisfying(TrustDecision.Trusted.class,
        t -> assertThat(t.notes()).anyMatch(n -> n.contains("revocation status") && n.contains("unknown")));
  }

  @Test
  void unreachableCrlFailsClosedUnlessBestEffortIsConfigured() {
    TestIdentity id;
    X509Certificate otherRoot;
    try (TestPki gone = TestPki.start(Clock.systemUTC())) {
      id = gone.issue(LeafSpec.address("u@hospital.example"));
      otherRoot = gone.root().certificate();
    }
    TrustValidator strict = new TrustValidator(Clock.systemUTC(), Fixture.http(), RevocationPolicy.STRICT, Duration.ZERO);
    TrustValidator lenient = new TrustValidator(Clock.systemUTC(), Fixture.http(), RevocationPolicy.BEST_EFFORT,
        Duration.ZERO);
    assertThat(strict.validate(id.certificate(), id.chain(), List.of(otherRoot), KeyPurpose.SIGNING))
        .isInstanceOfSatisfying(TrustDecision.Untrusted.class,
            u -> assertThat(u.reason()).isEqualTo(TrustDecision.Reason.REVOCATION_UNKNOWN));
    assertThat(lenient.validate(id.certificate(), id.chain(), List.of(otherRoot), KeyPurpose.SIGNING))
        .isInstanceOf(TrustDecision.Trusted.class);
  }

  @Test
  void crlIsFetchedOncePerPublicationNotPerMessage() throws Exception {
    TestCa ca = freshIntermediate("CRL Cache CA");
    TestIdentity id = pki.issue(LeafSpec.address("k@hospital.example").issuedBy(ca));
    CountingFetcher f = new CountingFetcher();
    TrustValidator v = new TrustValidator(Clock.systemUTC(), f, RevocationPolicy.STRICT, Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      assertThat(v.validate(id.certificate(), id.chain(), List.of(pki.root().certificate()), KeyPurpose.SIGNING))
          .isInstanceOf(TrustDecision.Trusted.class);
    }
    assertThat(f.gets).hasSize(2); // the leaf's CRL and the intermediate's
    assertThat(f.gets.values()).allMatch(n -> n.get() == 1);
  }

  @Test
  void notYetValidCertificateIsRefusedWithItsStartDate() {
    Instant now = Instant.now();
    TestIdentity id = pki.issue(LeafSpec.address("later@hospital.example")
        .withValidity(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(30))));
    assertThat(validate(id.certificate(), id.chain(), RevocationPolicy.STRICT))
        .isInstanceOfSatisfying(TrustDecision.Untrusted.class, u -> {
          assertThat(u.reason()).isEqualTo(TrustDecision.Reason.NOT_YET_VALID);
          assertThat(u.detail()).contains("not valid before");
        });
  }

  @Test
  void anchorsServeOnlyTheLocalAddressesInTheirScope() {
    X509Certificate root = pki.root().certificate();
    TrustAnchors anchors = new TrustAnchors(new ArrayList<>(List.of(
        new TrustAnchor(root, AnchorScope.parse("domain:hospital.example")))));
    assertThat(anchors.forLocal(DirectAddress.parse("alice@Hospital.example"))).containsExactly(root);
    assertThat(anchors.forLocal(DirectAddress.parse("bob@clinic.example"))).isEmpty();
    TestIdentity id = pki.issue(LeafSpec.address("s@hospital.example"));
    TrustDecision d = new TrustValidator(Clock.systemUTC(), Fixture.http(), RevocationPolicy.STRICT)
        .validate(id.certificate(), id.chain(), anchors.forLocal(DirectAddress.parse("bob@clinic.example")),
            KeyPurpose.SIGNING);
    assertThat(d).isInstanceOfSatisfying(TrustDecision.Untrusted.class,
        u -> assertThat(u.reason()).isEqualTo(TrustDecision.Reason.NO_ANCHORS));
    assertThat(anchors.forDomain("Hospital.example")).containsExactly(root);
    assertThat(anchors.forDomain("clinic.example")).isEmpty();
    assertThat(AnchorScope.parse("carol@hospital.example").appliesToDomain("hospital.example")).isFalse();
    assertThat(AnchorScope.parse("carol@hospital.example").appliesTo(DirectAddress.parse("Carol@hospital.example")))
        .isTrue();
    assertThat(AnchorScope.parse("carol@hospital.example").appliesTo(DirectAddress.parse("dave@hospital.example")))
        .isFalse();
  }
}
