package health.direct.testkit.world;

import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.ldap.TestDirectory;
import health.direct.testkit.mail.TestMailServer;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The servers of two Direct organisations on loopback, shared by the sandbox and the tests: a test
 * PKI (CRLs and issuer certificates over HTTP); a DNS responder serving {@code clinic.example}
 * (MX, address- and domain-bound CERT, DNSSEC-signed), {@code hospital.example} (MX, LDAP SRV)
 * and {@code pharmacy.example} (mail, no certificate); the hospital's LDAP directory; and one mail
 * server per organisation with a mailbox for its user. Users: {@link #PHYSICIAN} at the hospital,
 * {@link #SPECIALIST} at the clinic, with identities from the test CA.
 *
 * <pre>{@code
 * try (TwoOrganisations world = TwoOrganisations.start(Clock.systemUTC())) {
 *   int smtp = world.clinicMail().smtpPort();
 * }
 * }</pre>
 */
public final class TwoOrganisations implements AutoCloseable {
  public static final String PHYSICIAN = "maria.rivera@hospital.example";
  public static final String SPECIALIST = "wei.chen@clinic.example";

  /** The mail servers' TLS identity, from a CA of its own: GreenMail fixes its TLS key once per JVM. */
  private static TestPki tlsCa;
  private static TestIdentity mailTls;

  private final List<AutoCloseable> running = new ArrayList<>();
  private TestPki pki;
  private TestIdentity physician;
  private TestIdentity specialist;
  private TestIdentity clinic;
  private TestDirectory hospitalLdap;
  private TestMailServer hospitalMail;
  private TestMailServer clinicMail;
  private DnsResponder dns;
  private TestZone clinicZone;
  private final String physicianMailPassword = randomPassword();
  private final String specialistMailPassword = randomPassword();

  private TwoOrganisations() {}

  public static TwoOrganisations start(Clock clock) {
    TwoOrganisations w = new TwoOrganisations();
    try {
      w.build(clock);
      return w;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  private static synchronized TestIdentity sharedMailTls(Clock clock) {
    if (mailTls == null) {
      tlsCa = TestPki.start(clock);
      mailTls = tlsCa.issue(LeafSpec.tlsServer("mail.hospital.example", "mail.clinic.example"));
    }
    return mailTls;
  }

  private void build(Clock clock) {
    pki = keep(TestPki.start(clock));
    physician = pki.issue(LeafSpec.address(PHYSICIAN));
    specialist = pki.issue(LeafSpec.address(SPECIALIST));
    clinic = pki.issue(LeafSpec.domain("clinic.example"));
    TestIdentity tls = sharedMailTls(clock);
    hospitalLdap = keep(TestDirectory.start("dc=hospital,dc=example"));
    hospitalLdap.publish(PHYSICIAN, physician.certificate());
    hospitalMail = keep(TestMailServer.start(tls));
    clinicMail = keep(TestMailServer.start(tls));
    hospitalMail.addUser(PHYSICIAN, "maria.rivera", physicianMailPassword);
    clinicMail.addUser(SPECIALIST, "wei.chen", specialistMailPassword);
    clinicZone = clinicRecords(specialist.certificate()).signed();
    TestZone hospital = TestZone.named("hospital.example")
        .mx(10, "mail.hospital.example").a("mail.hospital.example", "127.0.0.1")
        .srv("_ldap._tcp.hospital.example", 0, 0, hospitalLdap.port(), "ldap.hospital.example")
        .a("ldap.hospital.example", "127.0.0.1")
        .unsigned();
    TestZone pharmacy = TestZone.named("pharmacy.example").mx(10, "mail.pharmacy.example")
        .a("mail.pharmacy.example", "127.0.0.1").unsigned();
    dns = keep(DnsResponder.start().serve(clinicZone).serve(hospital).serve(pharmacy));
  }

  /** The clinic's zone as published, with {@code specialistCert} at wei.chen.clinic.example, not yet finished. */
  public TestZone clinicRecords(X509Certificate specialistCert) {
    return TestZone.named("clinic.example")
        .cert("wei.chen.clinic.example", specialistCert)
        .cert("clinic.example", clinic.certificate())
        .mx(10, "mail.clinic.example").a("mail.clinic.example", "127.0.0.1");
  }

  public TestPki pki() {
    return pki;
  }

  /** The CA of the mail servers' TLS certificates, to trust for IMAP/POP3/SMTP TLS. */
  public X509Certificate mailTlsRoot() {
    return tlsCa.root().certificate();
  }

  public TestIdentity physician() {
    return physician;
  }

  public TestIdentity specialist() {
    return specialist;
  }

  public DnsResponder dns() {
    return dns;
  }

  /** The clinic's signed zone; its {@code trustAnchor()} is the DNSSEC anchor to configure. */
  public TestZone clinicZone() {
    return clinicZone;
  }

  public TestMailServer hospitalMail() {
    return hospitalMail;
  }

  public TestMailServer clinicMail() {
    return clinicMail;
  }

  public String physicianMailPassword() {
    return physicianMailPassword;
  }

  public String specialistMailPassword() {
    return specialistMailPassword;
  }

  /** Where everything listens. */
  public List<String> services() {
    return List.of(
        "PKI        root and intermediate CA; CRLs and issuer certificates at " + pki.baseUrl()
            + " (mail servers' TLS certificates from a separate CA)",
        "DNS        " + dns.hostAndPort() + " (UDP and TCP): clinic.example (DNSSEC-signed), hospital.example,"
            + " pharmacy.example (no Direct certificates)",
        "LDAP       127.0.0.1:" + hospitalLdap.port() + " dc=hospital,dc=example",
        "mail       hospital.example: SMTP " + hospitalMail.smtpPort() + ", IMAPS " + hospitalMail.imapsPort()
            + ", POP3S " + hospitalMail.pop3sPort(),
        "mail       clinic.example:   SMTP " + clinicMail.smtpPort() + ", IMAPS " + clinicMail.imapsPort()
            + ", POP3S " + clinicMail.pop3sPort());
  }

  private <T extends AutoCloseable> T keep(T t) {
    running.add(0, t);
    return t;
  }

  private static String randomPassword() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    for (AutoCloseable c : running) {
      try {
        c.close();
      } catch (Exception ignored) {
        // stopping everything anyway
      }
    }
    running.clear();
  }
}
