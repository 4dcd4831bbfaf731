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
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.world.TwoOrganisations;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.mail.TestMailServer;
import health.direct.app.DirectSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
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
 * The servers are the testkit's {@link TwoOrganisations}, the fixture the tests share.
 *
 * <pre>{@code
 * try (Sandbox s = Sandbox.start(dir, Clock.systemUTC())) {
 *   new Conversation(s, out).run();
 * }
 * }</pre>
 */
public final class Sandbox implements AutoCloseable {
  /** One user: who they are, their home folder, and their client. */
  public record User(String name, String role, DirectAddress address, Path home, DirectSession session) {}

  final Path dir;
  final Path passwordFile;
  TwoOrganisations world;
  TestPki pki;
  DnsResponder dns;
  TestMailServer clinicMail;
  User physician;
  User specialist;
  TestIdentity specialistIdentity;
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
    world = TwoOrganisations.start(clock);
    pki = world.pki();
    dns = world.dns();
    clinicMail = world.clinicMail();
    specialistIdentity = world.specialist();
    clinicZone = world.clinicZone();
    specialistMailPassword = world.specialistMailPassword();
    Path anchorsFile = Files.writeString(dir.resolve("dnssec-trust-anchors.txt"),
        "; the sandbox's DNSSEC trust anchor: the DS of clinic.example\n" + clinicZone.trustAnchor().orElseThrow() + "\n");
    Files.writeString(dir.resolve("sandbox-root-ca.pem"), TestIdentity.pem(pki.root().certificate()));
    Path rootPem = Files.writeString(dir.resolve("mail-tls-ca.pem"), TestIdentity.pem(world.mailTlsRoot()));
    physician = home("Dr. Maria Rivera", "referring physician, hospital.example",
        DirectAddress.parse(TwoOrganisations.PHYSICIAN), world.physician(), "maria.rivera",
        world.physicianMailPassword(), world.hospitalMail(), clinicMail.smtpPort(), anchorsFile, rootPem, clock);
    specialist = home("Dr. Wei Chen", "cardiologist, clinic.example", DirectAddress.parse(TwoOrganisations.SPECIALIST),
        world.specialist(), "wei.chen", specialistMailPassword, clinicMail, world.hospitalMail().smtpPort(),
        anchorsFile, rootPem, clock);
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
    new SecretStore(home, password).put(DirectSession.SERVER_PASSWORD, mailPw.toCharArray());
    DirectSession client = DirectSession.open(home, password, HomeConfig.load(home.configFile()), clock);
    return new User(name, role, address, root, client);
  }

  /** The clinic's zone as the sandbox publishes it, with {@code specialistCert} at wei.chen.clinic.example. */
  TestZone clinicRecords(java.security.cert.X509Certificate specialistCert) {
    return world.clinicRecords(specialistCert);
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
    return world.services();
  }

  private static String slash(Path p) {
    return p.toAbsolutePath().toString().replace('\\', '/');
  }

  @Override
  public void close() {
    if (world != null) {
      world.close();
    }
  }
}
