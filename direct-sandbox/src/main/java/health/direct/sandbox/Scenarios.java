package health.direct.sandbox;

import health.direct.core.address.DirectAddress;
import health.direct.core.automation.DropFolder;
import health.direct.core.automation.InboundFolder;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.compose.Draft;
import health.direct.core.compose.MessageComposer;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.Discovery;
import health.direct.core.resolve.RecipientCertificates;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.transport.fetch.FetchReport;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The seed's failure cases, each run against a fresh sandbox and judged against what the seed
 * says should happen: an unsecured message arriving (risk 8), a spoofed DNS answer (risk 2), a
 * recipient without a certificate and an expired certificate (risk 1: never send unprotected);
 * and its drawback, automation from an EHR, shown with the drop and inbound folders.
 */
final class Scenarios {
  private Scenarios() {}

  /** A named case: what it shows, and a run that returns true when the client behaved as the seed says. */
  record Scenario(String name, String description, Check check) {}

  @FunctionalInterface
  interface Check {
    boolean run(Sandbox s, PrintWriter out) throws Exception;
  }

  static List<Scenario> all() {
    return List.of(
        new Scenario("unsecured-inbound", "risk 8: a plain, unprotected e-mail arrives for Dr. Chen; it must be "
            + "quarantined with the reason, never shown as trusted", Scenarios::unsecuredInbound),
        new Scenario("spoofed-dns", "risk 2: an attacker answers the CERT query for Dr. Chen with his own "
            + "certificate; nothing may be encrypted to it", Scenarios::spoofedDns),
        new Scenario("no-certificate", "risk 1: Dr. Rivera writes to an address that publishes no certificate; "
            + "the message must not be sent, and she is told why", Scenarios::noCertificate),
        new Scenario("expired-certificate", "CD-09: Dr. Chen's published certificate has expired; the clinic's "
            + "valid domain-bound certificate must not be used instead", Scenarios::expiredCertificate),
        new Scenario("ehr-folders", "the drawback, automation from an EHR: the hospital's EHR drops a discharge "
            + "summary into a folder; it is sealed, delivered and answered in JSON, and the clinic's client copies "
            + "the trusted message into its EHR's import folder", Scenarios::ehrFolders));
  }

  private static boolean unsecuredInbound(Sandbox s, PrintWriter out) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(s.clinicMail.smtpPort()));
    MimeMessage m = new MimeMessage(Session.getInstance(p));
    m.setFrom(new InternetAddress("front.desk@lab.example"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(s.specialist().address().toString()));
    m.setSubject("Lab results for Sample Patient");
    m.setText("Troponin normal. (sent without S/MIME)");
    Transport.send(m);
    out.println("    a plain message was handed to the clinic's mail server, as any mail client could");
    try (Mailbox box = s.specialist().session().mailbox()) {
      FetchReport r = s.specialist().session().receive(box).fetch(line -> out.println("    " + line));
      for (StoredMessage stored : r.stored()) {
        out.printf("    fetched into %s: %s (%s)%n", stored.folder().dirName(), stored.summary().verdict(),
            stored.summary().detail());
      }
      boolean quarantined = r.stored().size() == 1 && r.stored().get(0).folder() == Folder.QUARANTINE;
      boolean inboxEmpty = box.list(Folder.INBOX).isEmpty();
      out.println("    inbox: " + box.list(Folder.INBOX).size() + " message(s); quarantine: "
          + box.list(Folder.QUARANTINE).size());
      return quarantined && inboxEmpty;
    }
  }

  private static boolean spoofedDns(Sandbox s, PrintWriter out) throws Exception {
    try (TestPki attacker = TestPki.start(Clock.systemUTC())) {
      TestIdentity fake = attacker.issue(LeafSpec.address(s.specialist().address().toString()));
      out.println("    the DNS server now answers with an unsigned zone holding the attacker's certificate");
      s.dns.serve(s.clinicRecords(fake.certificate()).unsigned());
      Discovery d = discover(s, s.specialist().address(), out);
      boolean refused = d.outcome() instanceof RecipientCertificates.Rejected r && r.reason().contains("DNSSEC");
      out.println("    with DNSSEC the forged answer is bogus and refused: " + (refused ? "yes" : "NO"));

      out.println("    even without DNSSEC (validation off) the certificate must chain to a trust anchor:");
      var dc = s.physician().session().config().discovery();
      var noDnssec = s.physician().session().config().withDiscovery(dc.withDns(dc.dnsServers(), "none", false));
      var client = health.direct.app.DirectSession.open(s.physician().session().home(),
          health.direct.core.store.PasswordSource.file(s.passwordFile()), noDnssec, Clock.systemUTC());
      Discovery d2 = client.discovery().discover(s.specialist().address(),
          client.trustAnchors().forLocal(s.physician().address()));
      d2.candidates().forEach(v -> out.println("      " + (v.kept() ? "kept: " : "rejected: ") + v.reason()));
      boolean untrusted = !d2.accepted();
      out.println("    the attacker's certificate is rejected by path validation: " + (untrusted ? "yes" : "NO"));
      return refused && untrusted;
    }
  }

  private static boolean noCertificate(Sandbox s, PrintWriter out) throws Exception {
    DirectAddress nobody = DirectAddress.parse("orders@pharmacy.example");
    Path plain = SecureFiles.privateTempFile(s.dir, "plain");
    try (Mailbox box = s.physician().session().mailbox()) {
      Discovery d = discover(s, nobody, out);
      try (OutputStream o = Files.newOutputStream(plain)) {
        new MessageComposer(Clock.systemUTC()).compose(new Draft(s.physician().address(), List.of(nobody), List.of(),
            "Referral", "Please see the patient.", List.of()), o);
      }
      try {
        var q = s.physician().session().send(box).submit(plain);
        out.println("    UNEXPECTED: queued " + q.messageId());
        return false;
      } catch (health.direct.core.DirectException e) {
        out.println("    send refused (exit " + e.problem().exitCode() + "): " + e.getMessage());
        return !d.accepted() && s.physician().session().outbox().list().isEmpty();
      }
    } finally {
      SecureFiles.deleteQuietly(plain);
    }
  }

  private static boolean expiredCertificate(Sandbox s, PrintWriter out) throws Exception {
    TestIdentity expired = s.pki.issue(LeafSpec.address(s.specialist().address().toString())
        .withValidity(Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(35))));
    out.println("    wei.chen.clinic.example now publishes a certificate that expired 35 days ago");
    out.println("    clinic.example still publishes the clinic's valid domain-bound certificate");
    s.dns.serve(s.clinicRecords(expired.certificate()).signedLike(s.clinicZone));
    Discovery d = discover(s, s.specialist().address(), out);
    boolean stopped = d.outcome() instanceof RecipientCertificates.Rejected r && r.reason().contains("CD-09");
    boolean domainNotAsked = d.attempts().stream().noneMatch(a -> a.query().equals("CERT clinic.example"));
    out.println("    the domain-bound certificate was not used: " + (stopped && domainNotAsked ? "yes" : "NO"));
    return stopped && domainNotAsked;
  }

  private static boolean ehrFolders(Sandbox s, PrintWriter out) throws Exception {
    Path hospitalEhr = s.dir.resolve("hospital-ehr");
    Path clinicEhr = s.dir.resolve("clinic-ehr");
    DropFolder.Result result;
    try (Mailbox box = s.physician().session().mailbox()) {
      DropFolder drop = s.physician().session().dropFolder(hospitalEhr, box);
      Path part = hospitalEhr.resolve("outgoing").resolve("discharge-0001.eml.part");
      try (OutputStream o = Files.newOutputStream(part)) {
        new MessageComposer(Clock.systemUTC()).compose(new Draft(s.physician().address(),
            List.of(s.specialist().address()), List.of(), "Discharge summary",
            "Discharged home; follow-up in two weeks.", List.of()), o);
      }
      Files.move(part, hospitalEhr.resolve("outgoing").resolve("discharge-0001.eml"));
      out.println("    the EHR wrote " + hospitalEhr.resolve("outgoing").resolve("discharge-0001.eml"));
      List<DropFolder.Result> results = drop.collect();
      result = results.get(0);
      out.println("    collected: " + result.outcome().name().toLowerCase(java.util.Locale.ROOT) + ", "
          + result.detail() + "; the answer is " + hospitalEhr.resolve("queued").resolve("discharge-0001.json"));
      var round = s.physician().session().deliver(box).deliverDue(f -> out.println("    delivery failed: " + f.reason()));
      out.println("    delivered " + round.delivered());
    }
    try (Mailbox box = s.specialist().session().mailbox()) {
      s.specialist().session().receive(box).fetch(line -> out.println("    " + line));
      int exported = new InboundFolder(clinicEhr, box).export();
      out.println("    the clinic's client copied " + exported + " trusted message(s) to " + clinicEhr);
      Path json = clinicEhr.resolve(box.list(Folder.INBOX).get(0).id() + ".json");
      String verdict = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("verdict").asText();
      out.println("    " + json.getFileName() + " says: " + verdict);
      return result.outcome() == DropFolder.Outcome.QUEUED && exported == 1 && verdict.equals("trusted");
    }
  }

  private static Discovery discover(Sandbox s, DirectAddress to, PrintWriter out) {
    Discovery d = s.physician().session().discovery().discover(to,
        s.physician().session().trustAnchors().forLocal(s.physician().address()));
    for (Attempt a : d.attempts()) {
      out.println("    " + a);
    }
    if (d.outcome() instanceof RecipientCertificates.Rejected r) {
      out.println("    -> " + to + " cannot be sent to: " + r.reason());
    } else {
      out.println("    -> " + to + " accepted");
    }
    return d;
  }

  static Optional<Scenario> named(String name) {
    return all().stream().filter(x -> x.name().equals(name)).findFirst();
  }
}
