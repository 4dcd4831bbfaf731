package health.direct.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.address.DirectAddress;
import health.direct.core.compose.Draft;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.store.DiscoveryConfig;
import health.direct.core.store.PasswordSource;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.mail.TestSmtpServer;
import health.direct.app.DirectSession;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's risks 2, 3, 4 and 6, proven on the sandbox: what leaves the machine, and where it can go. */
class RiskControlsTest {
  static final String SUBJECT_MARKER = "Subject-Marker-7Q2 chest pain J. Doe";
  static final String BODY_MARKER = "Body-Marker-9Z4 troponin";
  static final String ATTACHMENT_MARKER = "attachment-marker-5K8.xml";

  @TempDir
  Path dir;

  private OutboxEntry send(Sandbox s, DirectSession client) throws Exception {
    Path att = Files.writeString(dir.resolve(ATTACHMENT_MARKER), "<ClinicalDocument/>");
    Path plain = dir.resolve("plain.eml");
    try (OutputStream o = Files.newOutputStream(plain)) {
      client.composer().compose(new Draft(s.physician().address(), List.of(s.specialist().address()), List.of(),
          SUBJECT_MARKER, BODY_MARKER, List.of(att)), o);
    }
    try (Mailbox box = client.mailbox()) {
      var q = client.sender(box).queue(plain);
      client.deliver(box).deliverDue(f -> { });
      return client.outbox().find(q.entry().id()).orElseThrow();
    }
  }

  @Test
  @Tag("risk3")
  @Tag("risk4")
  @Tag("risk6")
  void onTheWireThereIsNoSubjectBodyOrAttachmentNameAndOnlyMinimalHeaders() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      OutboxEntry e = send(s, s.physician().session());
      assertThat(e.recipients().get(0).state()).isEqualTo(OutboxEntry.State.DELIVERED);

      byte[] wire = s.clinicMail.receivedMessages().get(0);
      String text = new String(wire, StandardCharsets.ISO_8859_1);
      assertThat(text).doesNotContain("Subject-Marker-7Q2").doesNotContain("chest pain").doesNotContain("J. Doe")
          .doesNotContain("Body-Marker-9Z4").doesNotContain("attachment-marker-5K8");
      String headerBlock = text.substring(0, text.indexOf("\r\n\r\n"));
      Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      headerBlock.lines().filter(l -> !l.startsWith(" ") && !l.startsWith("\t") && l.contains(":"))
          .forEach(l -> names.add(l.substring(0, l.indexOf(':'))));
      // GreenMail adds Received and Return-Path on delivery, as any MTA does
      names.removeAll(Set.of("Received", "Return-Path"));
      assertThat(names).isSubsetOf("From", "To", "Cc", "Date", "Message-ID", "MIME-Version", "Subject",
          "Content-Type", "Content-Transfer-Encoding", "Content-Disposition");
      assertThat(headerBlock).contains("Subject: Secure health message");
      assertThat(headerBlock).containsPattern("Message-ID: <[0-9a-f-]+@hospital\\.example>");
    }
  }

  @Test
  @Tag("risk2")
  void aSpoofedMxInASignedZoneIsRefusedAndTheAttackersServerReceivesNothing() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      int port = s.clinicMail.smtpPort();
      s.clinicMail.close();
      // the recipient's certificate is already known (address book), so only MX can be spoofed here
      s.physician().session().contacts().add(s.specialist().address(), List.of(s.specialistIdentity.certificate()),
          "test", java.time.Instant.now());
      try (TestSmtpServer attacker = TestSmtpServer.builder().port(port).start()) {
        s.dns.serve(spoofedZone(s).unsigned());

        OutboxEntry e = send(s, s.physician().session());

        assertThat(attacker.connections()).isZero();
        assertThat(e.recipients().get(0).state()).isEqualTo(OutboxEntry.State.RETRYING);
        assertThat(e.recipients().get(0).lastResult()).contains("DNSSEC");
      }
    }
  }

  @Test
  @Tag("risk2")
  void withoutDnssecASpoofedMxGetsOnlyCiphertextItCannotRead() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      DirectSession alice = s.physician().session();
      // the recipient's certificate is already known (address book), so only MX can be spoofed here
      alice.contacts().add(s.specialist().address(), List.of(s.specialistIdentity.certificate()), "test",
          java.time.Instant.now());
      DiscoveryConfig d = alice.config().discovery();
      DirectSession noDnssec = DirectSession.open(alice.home(), PasswordSource.file(s.passwordFile()),
          alice.config().withDiscovery(d.withDns(d.dnsServers(), "none", false)),
          Clock.systemUTC());
      int port = s.clinicMail.smtpPort();
      s.clinicMail.close();
      try (TestSmtpServer attacker = TestSmtpServer.builder().port(port).start()) {
        s.dns.serve(spoofedZone(s).unsigned());

        send(s, noDnssec);

        assertThat(attacker.received()).singleElement().satisfies(m -> {
          String text = new String(m.data(), StandardCharsets.ISO_8859_1);
          assertThat(text).contains("application/pkcs7-mime").contains("enveloped-data")
              .doesNotContain("Body-Marker-9Z4").doesNotContain("Subject-Marker-7Q2")
              .doesNotContain("attachment-marker-5K8");
        });
      }
    }
  }

  private static String run(Sandbox s, Sandbox.User u, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    List<String> all = new java.util.ArrayList<>(List.of("--home", u.home().toString(), "--password-file",
        s.passwordFile().toString()));
    all.addAll(List.of(args));
    int exit = SandboxLauncher.run(all.toArray(String[]::new), new java.io.PrintWriter(out, true),
        new java.io.PrintWriter(out, true), java.util.Map.of());
    return exit + "\n" + out;
  }

  @Test
  @Tag("risk1")
  void theDropFolderFollowsTheSameRisk1PolicyAsSend() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      Path ehr = s.physician().home().resolve("ehr");
      Files.writeString(s.physician().home().resolve("config.properties"),
          "automation.drop-folder = ehr\nunsecured.send-to-non-direct = true\n", java.nio.file.StandardOpenOption.APPEND);
      Files.createDirectories(ehr.resolve("outgoing"));
      DirectAddress pharmacy = DirectAddress.parse("orders@pharmacy.example");
      drop(s, ehr, "hours", List.of(pharmacy, s.specialist().address()), "Are you open on Saturday?");
      drop(s, ehr, "refill", List.of(pharmacy), "Patient DOB: 03/14/1962, MRN: 00123456, please refill.");

      String agent = run(s, s.physician(), "agent", "--once", "--no-fetch");

      assertThat(agent).startsWith("0\n").contains("drop folder: queued 1, failed 1").doesNotContain("00123456");
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      var hours = json.readTree(ehr.resolve("queued").resolve("hours.json").toFile());
      assertThat(hours.get("securedFor").toString()).isEqualTo("[\"wei.chen@clinic.example\"]");
      assertThat(hours.get("unsecuredTo").toString()).isEqualTo("[\"orders@pharmacy.example\"]");
      var refill = json.readTree(ehr.resolve("failed").resolve("refill.json").toFile());
      assertThat(refill.get("problem").asText()).isEqualTo("PHI_FOUND");
      assertThat(refill.get("reason").asText()).contains("the DLP check found PHI").doesNotContain("00123456");
      assertThat(ehr.resolve("failed").resolve("refill.eml")).exists();
      assertThat(s.physician().session().outbox().list()).as("the sealed and the plain copy of 'hours' only")
          .extracting(e -> e.messageId()).containsOnly(hours.get("messageId").asText()).hasSize(2);
    }
  }

  private static void drop(Sandbox s, Path ehr, String name, List<DirectAddress> to, String body) throws Exception {
    Path part = ehr.resolve("outgoing").resolve(name + ".eml.part");
    try (OutputStream o = Files.newOutputStream(part)) {
      s.physician().session().composer().compose(new Draft(s.physician().address(), to, List.of(), "Question", body,
          List.of()), o);
    }
    Files.move(part, ehr.resolve("outgoing").resolve(name + ".eml"));
  }

  @Test
  @Tag("risk1")
  void theAuditListsEachDisclosureWithItsAttachmentsDigestAndOutcome() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      new Conversation(s, new java.io.PrintWriter(java.io.Writer.nullWriter())).run();

      String json = run(s, s.physician(), "audit", "--json", "--since", "2000-01-01");
      String csv = run(s, s.physician(), "audit", "--csv");

      assertThat(json).startsWith("0\n");
      var a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.substring(2));
      assertThat(a).hasSize(1);
      assertThat(a.get(0).get("subject").asText()).isEqualTo("Referral: chest pain, please assess");
      assertThat(a.get(0).get("secured").asBoolean()).isTrue();
      assertThat(a.get(0).get("attachments").get(0).get("name").asText()).isEqualTo("referral-note-ccda.xml");
      assertThat(a.get(0).get("attachments").get(0).get("sha256").asText()).hasSize(64);
      assertThat(a.get(0).get("outcomes").get(0).asText()).isEqualTo("wei.chen@clinic.example: dispatched");
      assertThat(csv).contains("when,message_id,from,to,secured,subject,attachments,outcomes")
          .contains("\"Referral: chest pain, please assess\"");
      assertThat(run(s, s.physician(), "audit", "--until", "2000-01-01")).contains("no disclosures in this period");
    }
  }

  @Test
  @Tag("risk5")
  void healthTurnsRedWhenNotificationsStopComingOrNothingArrives() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      Files.writeString(s.physician().home().resolve("config.properties"),
          "notifications.processed-timeout = 1s\nhealth.max-quiet = 2s\n", java.nio.file.StandardOpenOption.APPEND);
      assertThat(run(s, s.physician(), "health")).startsWith("0\n").contains("nothing has been received yet");
      assertThat(run(s, s.physician(), "send", "--to", "wei.chen@clinic.example", "--subject", "s", "--body", "b"))
          .startsWith("0\n");
      Thread.sleep(1500);
      // Dr. Chen's client never runs, so no processed notification comes back
      run(s, s.physician(), "outbox", "--deliver");

      String health = run(s, s.physician(), "health", "--json");

      assertThat(health).startsWith("16\n").contains("delivery notifications from clinic.example are overdue");
      assertThat(run(s, s.physician(), "status")).contains("failed (no notification in time)");
      assertThat(run(s, s.physician(), "inbox")).contains("Undeliverable");
    }
  }

  private static void plainMail(Sandbox s, String from, String subject, String... headers) throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(s.clinicMail.smtpPort()));
    jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(p));
    m.setFrom(new jakarta.mail.internet.InternetAddress(from));
    m.setRecipient(jakarta.mail.Message.RecipientType.TO,
        new jakarta.mail.internet.InternetAddress(s.specialist().address().toString()));
    m.setSubject(subject);
    m.setText("Plain-Body-Marker-3X1");
    for (int i = 0; i < headers.length; i += 2) {
      m.setHeader(headers[i], headers[i + 1]);
    }
    jakarta.mail.Transport.send(m);
  }

  @Test
  @Tag("risk8")
  void theSenderOfUnsecuredMailGetsOneContentFreeNoticeAndNeverAReplyLoop() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      Files.writeString(s.specialist().home().resolve("config.properties"), "unsecured.courtesy-notice = true\n",
          java.nio.file.StandardOpenOption.APPEND);
      plainMail(s, "front.desk@lab.example", "Plain-Subject-Marker-8W2");
      plainMail(s, "front.desk@lab.example", "second one");
      plainMail(s, "robot@lab.example", "automatic", "Auto-Submitted", "auto-generated");
      plainMail(s, "list@lab.example", "newsletter", "List-Id", "<news.lab.example>");
      plainMail(s, "MAILER-DAEMON@lab.example", "bounce");

      String fetch = run(s, s.specialist(), "fetch");

      assertThat(fetch).contains("courtesy notice queued for front.desk@lab.example")
          .contains("had one less than 24 h ago").contains("sent automatically").contains("mailing list")
          .contains("mail system");
      var outbox = s.specialist().session().outbox().list();
      assertThat(outbox).singleElement().satisfies(e -> {
        assertThat(e.recipients().get(0).address().toString()).isEqualTo("front.desk@lab.example");
        String notice = Files.readString(e.message());
        assertThat(notice).contains("Auto-Submitted: auto-replied").contains("It was not read")
            .doesNotContain("Plain-Subject-Marker-8W2").doesNotContain("Plain-Body-Marker-3X1");
      });
      assertThat(run(s, s.specialist(), "quarantine")).contains("unsecured");
    }
  }

  @Test
  @Tag("risk8")
  void unsecuredMailCanBeDiscardedUnreadAndIsStillCounted() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      Files.writeString(s.specialist().home().resolve("config.properties"), "unsecured.action = discard\n",
          java.nio.file.StandardOpenOption.APPEND);
      plainMail(s, "front.desk@lab.example", "Plain-Subject-Marker-8W2");

      String fetch = run(s, s.specialist(), "fetch");

      assertThat(fetch).contains("discarded an unsecured message");
      assertThat(run(s, s.specialist(), "quarantine")).contains("the quarantine folder is empty")
          .contains("1 unsecured message(s) discarded unread");
      assertThat(run(s, s.specialist(), "fetch")).contains("fetched 0 new message(s)");
      try (var files = Files.walk(s.specialist().home().resolve("mail"))) {
        // the index and the fetch lock (which names a process, never a message) are all there is
        assertThat(files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("index.db"))
            .filter(f -> !f.getFileName().toString().equals(".fetch.lock")).toList()).isEmpty();
      }
    }
  }

  @Test
  @Tag("risk1")
  void unsecuredMailToNonDirectAddressesIsOffByDefaultAndOnlyAfterAPassingDlpCheckWhenOn() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      String off = run(s, s.physician(), "send", "--to", "orders@pharmacy.example", "--subject", "Opening hours",
          "--body", "Are you open on Saturday?");
      assertThat(off).startsWith("11\n").contains("no certificate found for orders@pharmacy.example");

      Files.writeString(s.physician().home().resolve("config.properties"), "unsecured.send-to-non-direct = true\n",
          java.nio.file.StandardOpenOption.APPEND);
      String phi = run(s, s.physician(), "send", "--to", "orders@pharmacy.example", "--subject", "Refill",
          "--body", "Patient DOB: 03/14/1962, MRN: 00123456, please refill.");
      String mixed = run(s, s.physician(), "send", "--to", "orders@pharmacy.example", "--to", "wei.chen@clinic.example",
          "--subject", "Opening hours", "--body", "Are you open on Saturday?");
      String audit = run(s, s.physician(), "audit");

      assertThat(phi).startsWith("17\n").contains("the DLP check found PHI").doesNotContain("00123456");
      assertThat(mixed).startsWith("0\n").contains("sending to orders@pharmacy.example WITHOUT S/MIME")
          .contains("wei.chen@clinic.example");
      assertThat(audit).contains("NOT SECURED").contains("DLP check passed").contains("secured (S/MIME)");
      List<byte[]> wire = s.clinicMail.receivedMessages();
      assertThat(wire.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)))
          .anyMatch(t -> t.contains("Are you open on Saturday?"))
          .noneMatch(t -> t.contains("00123456"));
    }
  }

  @Test
  @Tag("risk1")
  void theAuditAlsoCoversWhatOtherClientsLeftInTheServersSentFolderWithDlpForUnprotectedCopies() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      java.util.Properties p = new java.util.Properties();
      jakarta.mail.Session session = jakarta.mail.Session.getInstance(p);
      try (jakarta.mail.Store store = session.getStore("imap")) {
        store.connect("127.0.0.1", s.clinicMail.imapPort(), "wei.chen", s.specialistMailPassword);
        jakarta.mail.Folder sent = store.getFolder("Sent");
        sent.create(jakarta.mail.Folder.HOLDS_MESSAGES);
        jakarta.mail.internet.MimeMessage plain = new jakarta.mail.internet.MimeMessage(session);
        plain.setFrom(new jakarta.mail.internet.InternetAddress("wei.chen@clinic.example"));
        plain.setRecipients(jakarta.mail.Message.RecipientType.TO, "someone@gmail.example");
        plain.setSubject("Results");
        plain.setText("Patient SSN 123-45-6789, all normal.");
        plain.saveChanges();
        jakarta.mail.internet.MimeMessage sealed = new jakarta.mail.internet.MimeMessage(session);
        sealed.setFrom(new jakarta.mail.internet.InternetAddress("wei.chen@clinic.example"));
        sealed.setRecipients(jakarta.mail.Message.RecipientType.TO, "maria.rivera@hospital.example");
        sealed.setSubject("Secure health message");
        sealed.setContent("MIAGCSqGSIb3DQEHA6CAMIACAQA=", "application/pkcs7-mime; smime-type=enveloped-data");
        sealed.saveChanges();
        sent.appendMessages(new jakarta.mail.Message[] {plain, sealed});
      }

      String json = run(s, s.specialist(), "audit", "--imap-folder", "Sent", "--json");

      assertThat(json).startsWith("0\n");
      var a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.substring(2));
      assertThat(a).hasSize(2);
      var unprotected = a.get(0).get("secured").asBoolean() ? a.get(1) : a.get(0);
      assertThat(unprotected.get("secured").asBoolean()).isFalse();
      assertThat(unprotected.get("outcomes").toString()).contains("PHI found").contains("social security number")
          .doesNotContain("123-45-6789");
      assertThat(run(s, s.specialist(), "audit", "--imap-folder", "Sent", "--json")).as("imported once")
          .satisfies(again -> assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(again.substring(2))).hasSize(2));
    }
  }

  @Test
  @Tag("risk4")
  void anOuterSubjectThatLooksLikePhiIsRefusedBeforeAnythingIsSealed() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      Files.writeString(s.physician().home().resolve("config.properties"),
          "seal.outer-subject = Referral for MRN: 00123456\n", java.nio.file.StandardOpenOption.APPEND);

      String r = run(s, s.physician(), "send", "--to", "wei.chen@clinic.example", "--subject", "s", "--body", "b");

      assertThat(r).startsWith("17\n").contains("seal.outer-subject").contains("looks like PHI")
          .doesNotContain("00123456");
      assertThat(s.physician().session().outbox().list()).isEmpty();
    }
  }

  @Test
  @Tag("risk5")
  void theAgentReportsAnOverdueDestinationOnceWhileItLasts() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      Files.writeString(s.physician().home().resolve("config.properties"),
          "notifications.processed-timeout = 1s\nagent.interval = 1s\n", java.nio.file.StandardOpenOption.APPEND);
      assertThat(run(s, s.physician(), "send", "--to", "wei.chen@clinic.example", "--subject", "s", "--body", "b"))
          .startsWith("0\n");
      Path log = dir.resolve("agent.log");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), SandboxLauncher.class.getName(), "--home",
          s.physician().home().toString(), "--password-file", s.passwordFile().toString(), "agent", "--no-fetch")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.readString(log).contains("ALERT") && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        Thread.sleep(3500); // several more rounds
      } finally {
        p.destroy();
        p.waitFor();
      }
      String text = Files.readString(log);
      assertThat(text.lines().filter(l -> l.contains("ALERT: delivery notifications from clinic.example are overdue")))
          .as(text).hasSize(1);
    }
  }

  /** The clinic's zone as an attacker would answer it: MX to his own server. */
  private static TestZone spoofedZone(Sandbox s) {
    return TestZone.named("clinic.example").cert("wei.chen.clinic.example", s.specialistIdentity.certificate())
        .mx(10, "mx.attacker.example.clinic.example").a("mx.attacker.example.clinic.example", "127.0.0.1");
  }

}
