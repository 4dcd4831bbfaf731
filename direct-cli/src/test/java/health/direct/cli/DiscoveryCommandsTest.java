package health.direct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.ldap.TestDirectory;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.CERTRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;

/**
 * The seed's pre-condition from the command line: discover a new contact's certificate in DNS,
 * verify it by fingerprint, seal with it, and notice when it changes. Also publishing our own.
 */
class DiscoveryCommandsTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));

  @TempDir
  Path dir;
  Path home;
  DnsResponder dns;
  String anchorFile;

  CliHarness cli;

  private CliHarness.Run direct(String... args) {
    return cli.direct(home, args);
  }

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(dir);
    dns = DnsResponder.start();
    home = dir.resolve("home");
    Files.write(dir.resolve("alice.p12"), alice.toPkcs12("pw".toCharArray()));
    Files.writeString(dir.resolve("root.pem"), TestIdentity.pem(pki.root().certificate()));
    assertThat(direct("identity", "import", "--p12", dir.resolve("alice.p12").toString(), "--p12-password-env",
        "P12").exit()).isZero();
    assertThat(direct("anchors", "add", dir.resolve("root.pem").toString()).exit()).isZero();
    Files.writeString(dir.resolve("plain.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: Referral\r\n\r\nPlease see the patient.\r\n");
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  private void serveSigned(TestZone zone) throws Exception {
    dns.serve(zone);
    Path f = dir.resolve("anchor-" + System.nanoTime() + ".txt");
    Files.writeString(f, zone.trustAnchor().orElseThrow() + "\n");
    Files.writeString(home.resolve("config.properties"), "dns.servers = " + dns.hostAndPort() + "\n"
        + "dns.dnssec.trust-anchors = " + f.toString().replace("\\", "/") + "\n");
  }

  @Test
  void discoverShowsEachQuestionTheCertificateItsFingerprintAndTheDnssecStatus() throws Exception {
    TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
    serveSigned(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).signed());

    CliHarness.Run r = direct("contacts", "discover", "bob@clinic.example", "--explain");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("CERT bob.clinic.example").contains("[DNSSEC secure]")
        .contains("KEPT     " + CertificateFingerprint.of(bob.certificate()).colonForm())
        .contains("address book: not in the address book")
        .contains("direct contacts verify bob@clinic.example --fingerprint "
            + CertificateFingerprint.of(bob.certificate()).hex());

    JsonNode j = new ObjectMapper().readTree(direct("contacts", "discover", "bob@clinic.example", "--json").out());
    assertThat(j.get("usable").asBoolean()).isTrue();
    assertThat(j.get("certificates").get(0).get("dnssec").asText()).isEqualTo("secure");
    assertThat(j.get("attempts").get(0).get("query").asText()).isEqualTo("CERT bob.clinic.example");
  }

  @Test
  void discoverExitsElevenAndSaysWhyWhenNothingUsableIsPublished() throws Exception {
    serveSigned(TestZone.named("clinic.example").signed());

    CliHarness.Run r = direct("contacts", "discover", "bob@clinic.example");

    assertThat(r.exit()).isEqualTo(11);
    assertThat(r.out()).contains("no certificate found").contains("cannot be sent to");
  }

  @Test
  void sealFindsARecipientOutsideTheAddressBookInDns() throws Exception {
    TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
    serveSigned(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).signed());

    CliHarness.Run seal = direct("seal", "--in", dir.resolve("plain.eml").toString(), "--out", dir.resolve("s.eml").toString());

    assertThat(seal.exit()).as(seal.err()).isZero();
    assertThat(seal.out()).contains("to bob@clinic.example: 1 address-bound certificate(s) from DNS CERT bob.clinic.example");
  }

  @Test
  void sealFindsARecipientInLdapWhenDnsHasNoCertificate() throws Exception {
    TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
    try (TestDirectory ldap = TestDirectory.start("dc=clinic,dc=example")) {
      ldap.publish("bob@clinic.example", bob.certificate());
      serveSigned(TestZone.named("clinic.example").srv("_ldap._tcp.clinic.example", 0, 0, ldap.port(),
          "ldap.clinic.example").a("ldap.clinic.example", "127.0.0.1").signed());

      CliHarness.Run seal = direct("seal", "--in", dir.resolve("plain.eml").toString(), "--out", dir.resolve("s.eml").toString());

      assertThat(seal.exit()).as(seal.err()).isZero();
      assertThat(seal.out()).contains("to bob@clinic.example: 1 address-bound certificate(s) from LDAP");
    }
  }

  @Test
  void verifyPinsOnlyAFingerprintThatDiscoveryFound() throws Exception {
    TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
    TestIdentity other = pki.issue(LeafSpec.address("bob@clinic.example"));
    serveSigned(TestZone.named("clinic.example").cert("bob.clinic.example", bob.certificate()).signed());

    CliHarness.Run wrong = direct("contacts", "verify", "bob@clinic.example", "--fingerprint",
        CertificateFingerprint.of(other.certificate()).colonForm());
    assertThat(wrong.exit()).isEqualTo(14);
    assertThat(wrong.err()).contains("no certificate with fingerprint")
        .contains(CertificateFingerprint.of(bob.certificate()).hex());

    CliHarness.Run ok = direct("contacts", "verify", "bob@clinic.example", "--fingerprint",
        CertificateFingerprint.of(bob.certificate()).colonForm());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(direct("contacts", "list").out()).contains("bob@clinic.example").contains("verified 20");
    assertThat(direct("contacts", "discover", "bob@clinic.example").out()).contains("holds the same certificate(s)");
  }

  @Test
  void aPinnedCertificateThatWasReplacedAndRevokedStopsSealingUntilVerifiedAgain() throws Exception {
    TestIdentity oldBob = pki.issue(LeafSpec.address("bob@clinic.example"));
    TestIdentity newBob = pki.issue(LeafSpec.address("bob@clinic.example"));
    serveSigned(TestZone.named("clinic.example").cert("bob.clinic.example", oldBob.certificate()).signed());
    assertThat(direct("contacts", "verify", "bob@clinic.example", "--fingerprint",
        CertificateFingerprint.of(oldBob.certificate()).hex()).exit()).isZero();

    pki.revoke(oldBob.certificate());
    serveSigned(TestZone.named("clinic.example").cert("bob.clinic.example", newBob.certificate()).signed());

    CliHarness.Run seal = direct("seal", "--in", dir.resolve("plain.eml").toString(), "--out", dir.resolve("s.eml").toString());
    assertThat(seal.exit()).isEqualTo(11);
    assertThat(seal.err()).contains("no longer usable").contains("contacts verify");
    assertThat(direct("contacts", "discover", "bob@clinic.example").out()).contains("DIFFERENT certificate(s)");

    assertThat(direct("contacts", "verify", "bob@clinic.example", "--fingerprint",
        CertificateFingerprint.of(newBob.certificate()).hex()).exit()).isZero();
    CliHarness.Run again = direct("seal", "--in", dir.resolve("plain.eml").toString(), "--out", dir.resolve("s.eml").toString());
    assertThat(again.exit()).as(again.err()).isZero();
  }

  @Test
  void withPinningOffAnUnusablePinnedCertificateFallsBackToDiscovery() throws Exception {
    TestIdentity oldBob = pki.issue(LeafSpec.address("bob@clinic.example"));
    TestIdentity newBob = pki.issue(LeafSpec.address("bob@clinic.example"));
    serveSigned(TestZone.named("clinic.example").cert("bob.clinic.example", oldBob.certificate()).signed());
    direct("contacts", "verify", "bob@clinic.example", "--fingerprint", CertificateFingerprint.of(oldBob.certificate()).hex());
    pki.revoke(oldBob.certificate());
    serveSigned(TestZone.named("clinic.example").cert("bob.clinic.example", newBob.certificate()).signed());
    Files.writeString(home.resolve("config.properties"), "contacts.pinning = false\n", java.nio.file.StandardOpenOption.APPEND);

    CliHarness.Run seal = direct("seal", "--in", dir.resolve("plain.eml").toString(), "--out", dir.resolve("s.eml").toString(),
        "--json");

    assertThat(seal.exit()).as(seal.err()).isZero();
    assertThat(seal.out()).contains(CertificateFingerprint.of(newBob.certificate()).hex());
  }

  @Test
  void publishDnsPrintsCertRecordsThatAZoneFileParserReadsBack() throws Exception {
    CliHarness.Run r = direct("publish", "dns", "--ttl", "600");

    assertThat(r.exit()).as(r.err()).isZero();
    try (Master m = new Master(new ByteArrayInputStream(r.out().getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
      Record rec = m.nextRecord();
      assertThat(rec).isInstanceOf(CERTRecord.class);
      assertThat(rec.getName().toString()).isEqualTo("alice.hospital.example.");
      assertThat(rec.getTTL()).isEqualTo(600);
      assertThat(((CERTRecord) rec).getCertType()).isEqualTo(CERTRecord.CertificateType.PKIX);
      assertThat(((CERTRecord) rec).getCert()).isEqualTo(alice.certificate().getEncoded());
    }
  }

  @Test
  void publishLdifPrintsAnEntryThatLdapDiscoveryFinds() throws Exception {
    CliHarness.Run r = direct("publish", "ldif", "--base", "ou=people,dc=hospital,dc=example");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("mail: alice@hospital.example").contains("userCertificate;binary::");

    try (TestDirectory ldap = TestDirectory.start("dc=hospital,dc=example")) {
      ldap.importLdif(r.out());
      serveSigned(TestZone.named("hospital.example").srv("_ldap._tcp.hospital.example", 0, 0, ldap.port(),
          "ldap.hospital.example").a("ldap.hospital.example", "127.0.0.1").signed());

      CliHarness.Run d = direct("contacts", "discover", "alice@hospital.example");
      assertThat(d.exit()).as(d.out()).isZero();
      assertThat(d.out()).contains("KEPT     " + CertificateFingerprint.of(alice.certificate()).colonForm());
    }
  }
}
