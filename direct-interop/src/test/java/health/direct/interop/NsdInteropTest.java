package health.direct.interop;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.resolve.Discovery;
import health.direct.core.resolve.DnssecStatus;
import health.direct.core.resolve.RecipientCertificates;
import health.direct.core.resolve.RecipientSelector;
import health.direct.core.resolve.Resolution;
import health.direct.core.store.DiscoveryConfig;
import health.direct.core.trust.RevocationPolicy;
import health.direct.core.trust.TrustValidator;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.TestZone;
import health.direct.transport.discovery.PublishedSources;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.dns.DnsSettings;
import health.direct.transport.http.HttpFetcher;
import health.direct.transport.smtp.MxPlan;
import health.direct.transport.smtp.MxResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and MX against NSD, a real authoritative DNS server, serving plain and DNSSEC-signed zones. */
class NsdInteropTest {
  static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");
  static final DirectAddress CAROL = DirectAddress.parse("carol@clinic.example");
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity bob = pki.issue(LeafSpec.address(BOB.toString()));
  static final TestIdentity clinic = pki.issue(LeafSpec.domain("clinic.example"));

  @TempDir
  Path tmp;

  private static TestZone zone() {
    return TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate())
        .cert("clinic.example", clinic.certificate()).mx(10, "mx1.clinic.example").mx(20, "mx2.clinic.example")
        .a("mx1.clinic.example", "127.0.0.1").a("mx2.clinic.example", "127.0.0.1");
  }

  private Discovery discover(Nsd nsd, String anchors, DirectAddress who) throws Exception {
    DnsClient dns = new DnsClient(DnsSettings.of(List.of(nsd.hostAndPort()), Duration.ofSeconds(3), anchors, false),
        Clock.systemUTC());
    DiscoveryConfig config = new DiscoveryConfig(List.of(), Duration.ofSeconds(3), anchors, false, false, false,
        Duration.ofSeconds(2), true);
    return new CertificateDiscovery(a -> Resolution.none(a, List.of()),
        PublishedSources.of(dns, HttpFetcher.withDefaults(), config),
        new RecipientSelector(new TrustValidator(Clock.systemUTC(), HttpFetcher.withDefaults(), RevocationPolicy.STRICT)),
        true).discover(who, List.of(pki.root().certificate()));
  }

  private String anchorFile(TestZone z) throws Exception {
    return Files.writeString(tmp.resolve("anchor-" + System.nanoTime()), z.trustAnchor().orElseThrow() + "\n")
        .toString();
  }

  @Test
  void addressAndDomainBoundCertificatesComeFromNsd() throws Exception {
    try (Nsd nsd = Nsd.serve(zone().unsigned())) {
      Discovery b = discover(nsd, "none", BOB);
      Discovery c = discover(nsd, "none", CAROL);

      assertThat(((RecipientCertificates.Accepted) b.outcome()).level()).isEqualTo(CertificateBinding.Kind.ADDRESS);
      assertThat(((RecipientCertificates.Accepted) c.outcome()).level()).isEqualTo(CertificateBinding.Kind.DOMAIN);
      assertThat(c.attempts()).extracting(Attempt::toString).first().asString().contains("NXDOMAIN");
    }
  }

  @Test
  @Tag("risk2")
  void aSignedZoneFromNsdValidatesAsSecureIncludingItsDenials() throws Exception {
    TestZone signed = zone().signed();
    try (Nsd nsd = Nsd.serve(signed)) {
      Discovery c = discover(nsd, anchorFile(signed), CAROL);

      assertThat(c.accepted()).as("%s", c).isTrue();
      assertThat(c.attempts()).extracting(Attempt::dnssec).containsOnly(DnssecStatus.SECURE);
    }
  }

  @Test
  @Tag("risk2")
  void aBadSignatureServedByNsdIsRefusedAsBogus() throws Exception {
    TestZone forged = zone().signedWithBadSignatures();
    try (Nsd nsd = Nsd.serve(forged)) {
      Discovery b = discover(nsd, anchorFile(forged), BOB);

      assertThat(b.accepted()).isFalse();
      assertThat(((RecipientCertificates.Rejected) b.outcome()).reason()).contains("failed DNSSEC validation");
    }
  }

  @Test
  void mxHostsComeFromNsdInPreferenceOrder() throws Exception {
    try (Nsd nsd = Nsd.serve(zone().unsigned())) {
      DnsClient dns = new DnsClient(DnsSettings.of(List.of(nsd.hostAndPort()), Duration.ofSeconds(3), "none", false),
          Clock.systemUTC());
      MxPlan plan = new MxResolver(dns, new Random(1)).resolve("clinic.example");

      assertThat(((MxPlan.Hosts) plan).hosts()).containsExactly("mx1.clinic.example", "mx2.clinic.example");
    }
  }
}
