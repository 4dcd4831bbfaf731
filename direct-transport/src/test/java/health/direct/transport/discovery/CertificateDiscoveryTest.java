package health.direct.transport.discovery;

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
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.ldap.TestDirectory;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.dns.DnsSettings;
import health.direct.transport.http.HttpFetcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Certificate discovery (CD-01..CD-14) against a real DNS responder and real LDAP servers on
 * loopback, with certificates from a test CA whose CRLs and AIA are served over HTTP.
 */
class CertificateDiscoveryTest {
  static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
  static final TestIdentity clinic = pki.issue(LeafSpec.domain("clinic.example"));

  DnsResponder dns;
  List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void startDns() {
    dns = DnsResponder.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    dns.close();
  }

  // --- DNS ---------------------------------------------------------------------------------

  @Test
  void addressBoundCertificateInDnsIsChosenAndTheQueryIsExplained() {
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate())
        .cert("clinic.example", clinic.certificate()).unsigned());

    Discovery d = discover(BOB);

    assertAccepted(d, CertificateBinding.Kind.ADDRESS, bob.certificate());
    assertThat(d.attempts()).extracting(Attempt::query).containsExactly("CERT bob.clinic.example");
    assertThat(d.attempts().get(0).dnssec()).isEqualTo(DnssecStatus.UNCHECKED);
  }

  @Test
  void domainBoundCertificateIsAskedForOnlyWhenTheAddressHasNoCertRecords() {
    dns.serve(TestZone.named("clinic.example").cert("clinic.example", clinic.certificate()).unsigned());

    Discovery d = discover(BOB);

    assertAccepted(d, CertificateBinding.Kind.DOMAIN, clinic.certificate());
    assertThat(d.attempts()).extracting(Attempt::toString)
        .containsExactly("DNS CERT bob.clinic.example: NXDOMAIN (no such name) (DNSSEC unchecked)",
            "DNS CERT clinic.example: 1 record, 1 certificate(s) (DNSSEC unchecked)");
  }

  @Test
  void anExpiredAddressBoundCertificateStopsDiscoveryEvenBesideAValidDomainBoundOne() {
    TestIdentity expired = pki.issue(LeafSpec.address("bob@clinic.example")
        .withValidity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))));
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", expired.certificate())
        .cert("clinic.example", clinic.certificate()).unsigned());

    Discovery d = discover(BOB);

    assertThat(d.outcome()).isInstanceOf(RecipientCertificates.Rejected.class);
    assertThat(((RecipientCertificates.Rejected) d.outcome()).reason()).contains("CD-09").contains("expired");
    assertThat(dns.queries()).extracting(q -> q.name().toString(true)).doesNotContain("clinic.example");
  }

  @Test
  void ofTwoAddressBoundCertificatesOnlyTheValidOneIsUsed() {
    TestIdentity wrongUsage = pki.issue(LeafSpec.address("bob@clinic.example")
        .withKeyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", wrongUsage.certificate())
        .cert("bob.clinic.example", bob.certificate()).unsigned());

    Discovery d = discover(BOB);

    assertAccepted(d, CertificateBinding.Kind.ADDRESS, bob.certificate());
    assertThat(d.candidates()).filteredOn(v -> !v.kept()).singleElement()
        .satisfies(v -> assertThat(v.reason()).containsIgnoringCase("keyEncipherment"));
  }

  @Test
  void aRevokedCertificateBesideAValidOneIsLeftOut() {
    TestIdentity revoked = pki.issue(LeafSpec.address("bob@clinic.example"));
    TestIdentity good = pki.issue(LeafSpec.address("bob@clinic.example"));
    pki.revoke(revoked.certificate());
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", revoked.certificate())
        .cert("bob.clinic.example", good.certificate()).unsigned());

    Discovery d = discover(BOB);

    assertAccepted(d, CertificateBinding.Kind.ADDRESS, good.certificate());
    assertThat(d.candidates()).filteredOn(v -> !v.kept()).singleElement()
        .satisfies(v -> assertThat(v.reason()).containsIgnoringCase("revoked"));
  }

  @Test
  void anIntermediateCaReachableOnlyThroughAiaCompletesThePath() {
    // the leaf is issued by the intermediate; only the root is an anchor and DNS carries only the leaf
    assertThat(bob.certificate().getIssuerX500Principal())
        .isEqualTo(pki.intermediate().certificate().getSubjectX500Principal());
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).unsigned());

    assertAccepted(discover(BOB), CertificateBinding.Kind.ADDRESS, bob.certificate());
  }

  @Test
  @Tag("risk2")
  void aSpoofedCertAnswerWithACertificateFromAnUnknownCaIsRejected() throws Exception {
    try (TestPki attacker = TestPki.start(Clock.systemUTC())) {
      TestIdentity fake = attacker.issue(LeafSpec.address("bob@clinic.example"));
      dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", fake.certificate()).unsigned());

      Discovery d = discover(BOB);

      assertThat(d.outcome()).isInstanceOf(RecipientCertificates.Rejected.class);
      assertThat(d.candidates()).singleElement().satisfies(v -> {
        assertThat(v.kept()).isFalse();
        assertThat(v.reason()).containsIgnoringCase("anchor");
      });
    }
  }

  @Test
  void a4096BitCertificateThatDoesNotFitInUdpIsFetchedAgainOverTcp() {
    TestIdentity big = pki.issue(LeafSpec.address("bob@clinic.example").withKeyType(LeafSpec.KeyType.RSA_4096));
    assertThat(big.certificate().getPublicKey().getEncoded().length).isGreaterThan(500);
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", big.certificate())
        .cert("bob.clinic.example", bob.certificate()).unsigned());

    Discovery d = discover(BOB);

    assertThat(d.accepted()).isTrue();
    assertThat(((RecipientCertificates.Accepted) d.outcome()).certificates()).hasSize(2);
    assertThat(dns.queries()).extracting(DnsResponder.Query::toString)
        .containsExactly("UDP CERT bob.clinic.example.", "TCP CERT bob.clinic.example.");
    assertThat(dns.queries().get(0).ednsPayload()).as("EDNS0 buffer advertised").isEqualTo(4096);
  }

  @Test
  void anIpkixRecordIsFollowedToItsUrl() {
    dns.serve(TestZone.named("clinic.example").certUrl("bob.clinic.example", pki.publish(bob.certificate()))
        .unsigned());

    assertAccepted(discover(BOB), CertificateBinding.Kind.ADDRESS, bob.certificate());
  }

  @Test
  void certRecordsOfOtherTypesAreIgnoredAndCountAsNone() {
    dns.serve(TestZone.named("clinic.example").certOfType("bob.clinic.example", 3, new byte[] {1, 2, 3})
        .cert("clinic.example", clinic.certificate()).unsigned());

    Discovery d = discover(BOB);

    assertAccepted(d, CertificateBinding.Kind.DOMAIN, clinic.certificate());
    assertThat(d.attempts().get(0).outcome()).contains("ignored a CERT record of type PGP");
  }

  @Test
  void aDeadFirstDnsServerIsSkippedAfterItsTimeOut() throws Exception {
    try (DnsResponder dead = DnsResponder.start().silent(true)) {
      dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).unsigned());
      DnsClient client = new DnsClient(DnsSettings.of(List.of(dead.hostAndPort(), dns.hostAndPort()),
          Duration.ofMillis(400), "none", false), Clock.systemUTC());

      Discovery d = discovery(client).discover(BOB, anchors());

      assertAccepted(d, CertificateBinding.Kind.ADDRESS, bob.certificate());
      assertThat(dead.queries()).isNotEmpty();
    }
  }

  @Test
  void whenNoDnsServerAnswersDiscoveryRefusesInsteadOfGuessing() {
    dns.silent(true);

    Discovery d = discovery(client(dns, "none")).discover(BOB, anchors());

    assertThat(((RecipientCertificates.Rejected) d.outcome()).reason())
        .contains("cannot tell which certificates bob@clinic.example publishes").contains("time-out");
  }

  @Test
  void answersAreCachedForTheirTtl() {
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).unsigned());
    DnsClient client = client(dns, "none");

    discovery(client).discover(BOB, anchors());
    discovery(client).discover(BOB, anchors());

    assertThat(dns.queries()).hasSize(1);
  }

  // --- DNSSEC ------------------------------------------------------------------------------

  @Test
  @Tag("risk2")
  void aSignedZoneIsReportedSecure() throws IOException {
    TestZone zone = TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).signed();
    dns.serve(zone);

    Discovery d = discovery(client(dns, anchorFile(zone))).discover(BOB, anchors());

    assertAccepted(d, CertificateBinding.Kind.ADDRESS, bob.certificate());
    assertThat(d.attempts().get(0).dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(d.candidates().get(0).found().dnssec()).isEqualTo(DnssecStatus.SECURE);
  }

  @Test
  void aSecureDenialLetsDiscoveryMoveToTheDomain() throws IOException {
    TestZone zone = TestZone.named("clinic.example").cert("clinic.example", clinic.certificate()).signed();
    dns.serve(zone);

    Discovery d = discovery(client(dns, anchorFile(zone))).discover(BOB, anchors());

    assertAccepted(d, CertificateBinding.Kind.DOMAIN, clinic.certificate());
    assertThat(d.attempts()).extracting(Attempt::dnssec).containsOnly(DnssecStatus.SECURE);
  }

  @Test
  @Tag("risk2")
  void aBogusDnssecAnswerIsNeverUsedAndStopsDiscovery() throws IOException {
    TestZone genuine = TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).signed();
    TestZone forged = TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate())
        .signedWithBadSignatures();
    dns.serve(forged);
    TestDirectory ldap = ldap("dc=clinic,dc=example").publish("bob@clinic.example", bob.certificate());

    Discovery d = discovery(client(dns, anchorFile(forged))).discover(BOB, anchors());

    assertThat(genuine.trustAnchor()).isPresent();
    assertThat(d.outcome()).isInstanceOf(RecipientCertificates.Rejected.class);
    assertThat(((RecipientCertificates.Rejected) d.outcome()).reason()).contains("failed DNSSEC validation");
    assertThat(d.attempts()).extracting(Attempt::dnssec).contains(DnssecStatus.BOGUS);
    assertThat(d.attempts()).noneMatch(a -> a.source().equals("LDAP"));
    assertThat(ldap.port()).isPositive();
  }

  @Test
  @Tag("risk2")
  void anUnsignedAnswerForAZoneThatShouldBeSignedIsBogus() throws IOException {
    TestZone genuine = TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).signed();
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).unsigned());

    Discovery d = discovery(client(dns, anchorFile(genuine))).discover(BOB, anchors());

    assertThat(((RecipientCertificates.Rejected) d.outcome()).reason()).contains("failed DNSSEC validation");
  }

  @Test
  @Tag("risk2")
  void requiringDnssecRefusesAnInsecureAnswer() throws IOException {
    TestZone other = TestZone.named("hospital.example").signed();
    dns.serve(other);
    dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).unsigned());
    DnsClient client = new DnsClient(DnsSettings.of(List.of(dns.hostAndPort()), Duration.ofSeconds(2),
        anchorFile(other), true), Clock.systemUTC());

    Discovery d = new CertificateDiscovery(a -> Resolution.none(a, List.of()),
        PublishedSources.of(client, HttpFetcher.withDefaults(), config(true, false)), selector(), true)
        .discover(BOB, anchors());

    assertThat(((RecipientCertificates.Rejected) d.outcome()).reason()).contains("not DNSSEC-secure");
  }

  @Test
  void smimeaIsUsedOnlyWhenSecure() throws IOException {
    TestZone signed = TestZone.named("clinic.example").smimea("bob@clinic.example", bob.certificate()).signed();
    dns.serve(signed);
    DnsClient client = client(dns, anchorFile(signed));

    Discovery d = new CertificateDiscovery(a -> Resolution.none(a, List.of()),
        PublishedSources.of(client, HttpFetcher.withDefaults(), config(false, true)), selector(), true)
        .discover(BOB, anchors());
    assertAccepted(d, CertificateBinding.Kind.ADDRESS, bob.certificate());
    assertThat(((RecipientCertificates.Accepted) d.outcome()).source()).startsWith("DNS SMIMEA");

    dns.serve(TestZone.named("clinic.example").smimea("bob@clinic.example", bob.certificate()).unsigned());
    Discovery insecure = new CertificateDiscovery(a -> Resolution.none(a, List.of()),
        PublishedSources.of(client(dns, "none"), HttpFetcher.withDefaults(), config(false, true)), selector(), true)
        .discover(BOB, anchors());
    assertThat(insecure.accepted()).isFalse();
    assertThat(insecure.attempts()).anyMatch(a -> a.outcome().contains("used only when DNSSEC-secure"));
  }

  // --- LDAP --------------------------------------------------------------------------------

  @Test
  void addressBoundCertificateInLdapIsFoundThroughSrvAndTheRootDse() {
    TestDirectory ldap = ldap("dc=clinic,dc=example").publish("bob@clinic.example", bob.certificate())
        .publish("clinic.example", clinic.certificate());
    dns.serve(TestZone.named("clinic.example").srv("_ldap._tcp.clinic.example", 0, 0, ldap.port(),
        "ldap.clinic.example").a("ldap.clinic.example", "127.0.0.1").unsigned());

    Discovery d = discover(BOB);

    assertAccepted(d, CertificateBinding.Kind.ADDRESS, bob.certificate());
    assertThat(d.attempts()).extracting(Attempt::toString).last().asString()
        .contains("(mail=bob@clinic.example) under dc=clinic,dc=example");
  }

  @Test
  void domainBoundCertificateInLdapIsUsedWhenNoEntryHoldsTheAddress() {
    TestDirectory ldap = ldap("dc=clinic,dc=example")
        .publish("clinic.example", TestDirectory.Attr.USER_CERTIFICATE_BINARY, clinic.certificate());
    dns.serve(TestZone.named("clinic.example").srv("_ldap._tcp.clinic.example", 0, 0, ldap.port(),
        "ldap.clinic.example").a("ldap.clinic.example", "127.0.0.1").unsigned());

    assertAccepted(discover(BOB), CertificateBinding.Kind.DOMAIN, clinic.certificate());
  }

  @Test
  void anUnreachableFirstLdapServerIsSkipped() throws IOException {
    TestDirectory ldap = ldap("dc=clinic,dc=example").publish("bob@clinic.example", bob.certificate());
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    dns.serve(TestZone.named("clinic.example")
        .srv("_ldap._tcp.clinic.example", 0, 0, closedPort, "down.clinic.example")
        .srv("_ldap._tcp.clinic.example", 5, 0, ldap.port(), "ldap.clinic.example")
        .a("down.clinic.example", "127.0.0.1").a("ldap.clinic.example", "127.0.0.1").unsigned());

    Discovery d = discover(BOB);

    assertAccepted(d, CertificateBinding.Kind.ADDRESS, bob.certificate());
    assertThat(d.attempts()).anyMatch(a -> a.query().startsWith("down.clinic.example:" + closedPort)
        && a.outcome().startsWith("unreachable"));
  }

  @Test
  void srvPriorityComesFirstThenTheHigherWeight() {
    TestIdentity fromPreferred = pki.issue(LeafSpec.address("bob@clinic.example"));
    TestIdentity fromHeavier = pki.issue(LeafSpec.address("bob@clinic.example"));
    TestIdentity fromOthers = pki.issue(LeafSpec.address("bob@clinic.example"));
    TestDirectory preferred = ldap("dc=clinic,dc=example").publish("bob@clinic.example", fromPreferred.certificate());
    TestDirectory heavy = ldap("dc=clinic,dc=example").publish("bob@clinic.example", fromHeavier.certificate());
    TestDirectory light = ldap("dc=clinic,dc=example").publish("bob@clinic.example", fromOthers.certificate());
    dns.serve(TestZone.named("clinic.example")
        .srv("_ldap._tcp.clinic.example", 10, 5, light.port(), "light.clinic.example")
        .srv("_ldap._tcp.clinic.example", 10, 60, heavy.port(), "heavy.clinic.example")
        .srv("_ldap._tcp.clinic.example", 1, 0, preferred.port(), "preferred.clinic.example")
        .a("light.clinic.example", "127.0.0.1").a("heavy.clinic.example", "127.0.0.1")
        .a("preferred.clinic.example", "127.0.0.1").unsigned());

    assertAccepted(discover(BOB), CertificateBinding.Kind.ADDRESS, fromPreferred.certificate());

    preferred.close();
    dns.clearQueries();
    assertAccepted(discovery(client(dns, "none")).discover(BOB, anchors()), CertificateBinding.Kind.ADDRESS,
        fromHeavier.certificate());
  }

  @Test
  void nothingPublishedAnywhereDropsTheRecipientAndSaysWhereItLooked() {
    dns.serve(TestZone.named("clinic.example").unsigned());

    Discovery d = discover(BOB);

    String reason = ((RecipientCertificates.Rejected) d.outcome()).reason();
    assertThat(reason).contains("no certificate found for bob@clinic.example")
        .contains("CERT bob.clinic.example: NXDOMAIN").contains("CERT clinic.example: NODATA")
        .contains("SRV _ldap._tcp.clinic.example: NXDOMAIN");
  }

  // --- helpers -----------------------------------------------------------------------------

  private Discovery discover(DirectAddress address) {
    return discovery(client(dns, "none")).discover(address, anchors());
  }

  private CertificateDiscovery discovery(DnsClient client) {
    return new CertificateDiscovery(a -> Resolution.none(a, List.of()),
        PublishedSources.of(client, HttpFetcher.withDefaults(), config(false, false)), selector(), true);
  }

  private static RecipientSelector selector() {
    return new RecipientSelector(new TrustValidator(Clock.systemUTC(), HttpFetcher.withDefaults(),
        RevocationPolicy.STRICT));
  }

  private static DiscoveryConfig config(boolean requireDnssec, boolean smimea) {
    return new DiscoveryConfig(List.of(), Duration.ofSeconds(2), "none", requireDnssec, smimea, true,
        Duration.ofSeconds(2), true);
  }

  private static DnsClient client(DnsResponder server, String anchors) {
    return new DnsClient(DnsSettings.of(List.of(server.hostAndPort()), Duration.ofSeconds(2), anchors, false),
        Clock.systemUTC());
  }

  @TempDir
  Path tmp;

  private String anchorFile(TestZone zone) throws IOException {
    Path f = Files.createTempFile(tmp, "anchor", ".txt");
    Files.writeString(f, zone.trustAnchor().orElseThrow() + "\n", StandardCharsets.US_ASCII);
    return f.toString();
  }

  private TestDirectory ldap(String base) {
    TestDirectory d = TestDirectory.start(base);
    toClose.add(d);
    return d;
  }

  private static List<X509Certificate> anchors() {
    return List.of(pki.root().certificate());
  }

  private static void assertAccepted(Discovery d, CertificateBinding.Kind level, X509Certificate... certs) {
    assertThat(d.outcome()).as("%s", d).isInstanceOf(RecipientCertificates.Accepted.class);
    RecipientCertificates.Accepted a = (RecipientCertificates.Accepted) d.outcome();
    assertThat(a.level()).isEqualTo(level);
    assertThat(a.certificates()).containsExactlyInAnyOrder(certs);
  }
}
