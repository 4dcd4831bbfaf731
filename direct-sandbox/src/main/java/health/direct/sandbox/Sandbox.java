package health.direct.sandbox;

import health.direct.core.address.DirectAddress;
import health.direct.core.io.SecureFiles;
import health.direct.core.store.AnchorStore;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.PasswordSource;
import health.direct.core.store.SecretStore;
import health.direct.core.trust.AnchorScope;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.ldap.TestDirectory;
import health.direct.testkit.mail.TestMailServer;
import health.direct.transport.client.DirectClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Two organisations on one machine, on loopback and free ports: a test PKI (root and intermediate
 * CA, CRLs and issuer certificates over HTTP); an authoritative DNS responder serving
 * {@code hospital.example} (MX, LDAP SRV) and {@code clinic.example} (MX, address- and
 * domain-bound CERT records, DNSSEC-signed with the sandbox's own trust anchor); the hospital's
 * LDAP directory; one mail server per organisation (SMTP in, IMAP and POP3 with TLS); and a client
 * home for each user: a referring physician at the hospital and a cardiologist at the clinic.
 *
 * <pre>{@code
 * try (Sandbox s = Sandbox.start(dir, Clock.systemUTC())) {
 *   new Conversation(s, out).run();
 * }
 * }</pre>
 */
public final class Sandbox implements AutoCloseable {
  /** One user: who they are, their home folder, and their client. */
  public record User(String name, String role, DirectAddress address, Path home, DirectClient client) {}

  /**
   * The mail servers' TLS identity, from a CA of its own and shared by every sandbox in the JVM:
   * GreenMail fixes its TLS key once per JVM.
   */
  private static TestPki tlsCa;
  private static TestIdentity mailTls;

  private static synchronized TestIdentity mailTls(Clock clock) {
    if (mailTls == null) {
      tlsCa = TestPki.start(clock);
      mailTls = tlsCa.issue(LeafSpec.tlsServer("mail.hospital.example", "mail.clinic.example"));
    }
    return mailTls;
  }

  private final List<AutoCloseable> running = new ArrayList<>();
  final Path dir;
  final Path passwordFile;
  TestPki pki;
  DnsResponder dns;
  TestDirectory hospitalLdap;
  TestMailServer hospitalMail;
  TestMailServer clinicMail;
  User physician;
  User specialist;
  TestIdentity specialistIdentity;
  TestIdentity clinicIdentity;
  TestZone clinicZone;
  String specialistMailPassword;

  private Sandbox(Path dir, Path passwordFile) {
    this.dir = dir;
    this.passwordFile = passwordFile;
  }

  public static Sandbox start(Path dir, Clock clock) {
    SecureFiles.privateDirectory(dir);
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    Path passwordFile = dir.resolve("store-password");
    SecureFiles.writeAtomically(passwordFile, (HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
    Sandbox s = new Sandbox(dir, passwordFile);
    try {
      s.build(clock);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw new IllegalStateException("the sandbox could not start: " + e.getMessage(), e);
    }
  }

  private void build(Clock clock) throws IOException {
    pki = keep(TestPki.start(clock));
    DirectAddress maria = DirectAddress.parse("maria.rivera@hospital.example");
    DirectAddress wei = DirectAddress.parse("wei.chen@clinic.example");
    TestIdentity mariaId = pki.issue(LeafSpec.address(maria.toString()));
    TestIdentity weiId = pki.issue(LeafSpec.address(wei.toString()));
    TestIdentity clinicOrg = pki.issue(LeafSpec.domain("clinic.example"));
    specialistIdentity = weiId;
    clinicIdentity = clinicOrg;
    TestIdentity mailTls = mailTls(clock);

    hospitalLdap = keep(TestDirectory.start("dc=hospital,dc=example"));
    hospitalLdap.publish(maria.toString(), mariaId.certificate());
    hospitalMail = keep(TestMailServer.start(mailTls));
    clinicMail = keep(TestMailServer.start(mailTls));
    String mariaMailPw = randomPassword();
    String weiMailPw = randomPassword();
    specialistMailPassword = weiMailPw;
    hospitalMail.addUser(maria.toString(), "maria.rivera", mariaMailPw);
    clinicMail.addUser(wei.toString(), "wei.chen", weiMailPw);

    TestZone clinic = clinicRecords(weiId.certificate()).signed();
    clinicZone = clinic;
    TestZone hospital = TestZone.named("hospital.example")
        .mx(10, "mail.hospital.example").a("mail.hospital.example", "127.0.0.1")
        .srv("_ldap._tcp.hospital.example", 0, 0, hospitalLdap.port(), "ldap.hospital.example")
        .a("ldap.hospital.example", "127.0.0.1")
        .unsigned();
    // a domain outside Direct: mail, but no certificate anywhere
    TestZone pharmacy = TestZone.named("pharmacy.example").mx(10, "mail.pharmacy.example")
        .a("mail.pharmacy.example", "127.0.0.1").unsigned();
    dns = keep(DnsResponder.start().serve(clinic).serve(hospital).serve(pharmacy));
    Path anchorsFile = Files.writeString(dir.resolve("dnssec-trust-anchors.txt"),
        "; the sandbox's DNSSEC trust anchor: the DS of clinic.example\n" + clinic.trustAnchor().orElseThrow() + "\n");
    Files.writeString(dir.resolve("sandbox-root-ca.pem"), TestIdentity.pem(pki.root().certificate()));
    Path rootPem = Files.writeString(dir.resolve("mail-tls-ca.pem"), TestIdentity.pem(tlsCa.root().certificate()));

    physician = home("Dr. Maria Rivera", "referring physician, hospital.example", maria, mariaId, "maria.rivera",
        mariaMailPw, hospitalMail, clinicMail.smtpPort(), anchorsFile, rootPem, clock);
    specialist = home("Dr. Wei Chen", "cardiologist, clinic.example", wei, weiId, "wei.chen", weiMailPw, clinicMail,
        hospitalMail.smtpPort(), anchorsFile, rootPem, clock);
  }

  /**
   * A home with the user's identity (issued by the sandbox CA), the sandbox root as trust anchor,
   * its own mail account, and the sandbox's DNS. {@code peerSmtpPort} is where the other
   * organisation's mail server listens: both MX hosts are on 127.0.0.1, so the port tells them apart.
   */
  private User home(String name, String role, DirectAddress address, TestIdentity id, String login, String mailPw,
      TestMailServer ownMail, int peerSmtpPort, Path anchorsFile, Path rootPem, Clock clock) throws IOException {
    Path root = dir.resolve(address.localPart());
    DirectHome home = new DirectHome(root).create();
    PasswordSource password = PasswordSource.file(passwordFile);
    char[] p12pw = "sandbox".toCharArray();
    new IdentityStore(home, password, clock).importPkcs12(id.toPkcs12(p12pw), p12pw, Optional.of(address));
    new AnchorStore(home).add(List.of(pki.root().certificate()), AnchorScope.ANY);
    String config = String.join("\n",
        "# " + name + ", " + role + " (written by the sandbox)",
        "account.address = " + address,
        "dns.servers = " + dns.hostAndPort(),
        "dns.dnssec.trust-anchors = " + slash(anchorsFile),
        "tls.trust-anchors = " + slash(rootPem),
        "smtp.port = " + peerSmtpPort,
        "fetch.protocol = imap",
        "fetch.host = mail." + address.domain(),
        "fetch.port = " + ownMail.imapsPort(),
        "fetch.tls = implicit",
        "fetch.user = " + login,
        "net.timeout = 20s",
        "agent.interval = 30s",
        "");
    SecureFiles.writeAtomically(home.configFile(), config.getBytes(StandardCharsets.UTF_8));
    new SecretStore(home, password).put(DirectClient.SERVER_PASSWORD, mailPw.toCharArray());
    DirectClient client = new DirectClient(home, password, HomeConfig.load(home.configFile()), clock);
    return new User(name, role, address, root, client);
  }

  /** The clinic's zone as the sandbox publishes it, with {@code specialistCert} at wei.chen.clinic.example. */
  TestZone clinicRecords(java.security.cert.X509Certificate specialistCert) {
    return TestZone.named("clinic.example")
        .cert("wei.chen.clinic.example", specialistCert)
        .cert("clinic.example", clinicIdentity.certificate())
        .mx(10, "mail.clinic.example").a("mail.clinic.example", "127.0.0.1");
  }

  public User physician() {
    return physician;
  }

  public User specialist() {
    return specialist;
  }

  public Path passwordFile() {
    return passwordFile;
  }

  /** Where everything listens, for the narration. */
  List<String> services() {
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

  private static String slash(Path p) {
    return p.toAbsolutePath().toString().replace('\\', '/');
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
