package health.direct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import health.direct.testkit.world.TwoOrganisations;
import health.direct.testkit.mail.TestMailServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two homes exchange a sealed message end to end (arcs 1 to 7): discovery and MX from the
 * in-process DNS responder, delivery by SMTP to GreenMail, fetch over IMAP or POP3 with TLS,
 * opening into the inbox; and what goes wrong: unsecured mail quarantined, a null MX reported.
 */
class SendAndFetchTest {
  static final String ALICE = TwoOrganisations.PHYSICIAN;
  static final String BOB = TwoOrganisations.SPECIALIST;
  static TestIdentity dave;

  @TempDir
  Path dir;
  Path aliceHome;
  Path bobHome;
  TwoOrganisations world;
  TestMailServer mail;
  DnsResponder dns;
  CliHarness cli;

  private CliHarness.Run direct(Path home, String... args) {
    return cli.direct(home, args);
  }

  @BeforeEach
  void setUp() throws Exception {
    // the shared two-organisation fixture (the sandbox's servers): the physician writes, the specialist reads
    world = TwoOrganisations.start(Clock.systemUTC());
    mail = world.clinicMail();
    dns = world.dns();
    dave = world.pki().issue(LeafSpec.address("dave@nomail.example"));
    dns.serve(TestZone.named("nomail.example").cert("dave.nomail.example", dave.certificate()).mx(0, ".").unsigned());
    cli = new CliHarness(dir);
    cli.env.put("MAIL_PW", world.specialistMailPassword());
    Path root = Files.writeString(dir.resolve("root.pem"), TestIdentity.pem(world.pki().root().certificate()));
    Path tlsRoot = Files.writeString(dir.resolve("mail-tls-root.pem"), TestIdentity.pem(world.mailTlsRoot()));
    aliceHome = home("alice", world.physician(), root, tlsRoot, "account.address = " + ALICE + "\n");
    bobHome = home("bob", world.specialist(), root, tlsRoot, "account.address = " + BOB + "\n"
        + fetchConfig("imap", mail.imapsPort()));
    CliHarness.Run pw = direct(bobHome, "account", "set-password", "--server-password-env", "MAIL_PW");
    assertThat(pw.exit()).as(pw.err()).isZero();
  }

  private String fetchConfig(String protocol, int port) {
    return "fetch.protocol = " + protocol + "\nfetch.host = mail.clinic.example\nfetch.port = " + port
        + "\nfetch.tls = implicit\nfetch.user = wei.chen\n";
  }

  private Path home(String name, TestIdentity id, Path root, Path tlsRoot, String extra) throws Exception {
    Path home = dir.resolve(name);
    Files.write(dir.resolve(name + ".p12"), id.toPkcs12("pw".toCharArray()));
    assertThat(direct(home, "identity", "import", "--p12", dir.resolve(name + ".p12").toString(),
        "--p12-password-env", "P12").exit()).isZero();
    assertThat(direct(home, "anchors", "add", root.toString()).exit()).isZero();
    Files.writeString(home.resolve("config.properties"), "dns.servers = " + dns.hostAndPort() + "\n"
        + "dns.dnssec.trust-anchors = none\nsmtp.port = " + mail.smtpPort() + "\ntls.trust-anchors = "
        + tlsRoot.toString().replace("\\", "/") + "\nnet.timeout = 10s\n" + extra);
    return home;
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  @Tag("risk3")
  @Tag("risk6")
  void aReferralWithAnAttachmentTravelsFromAliceToBobOverImap() throws Exception {
    Path ccd = Files.writeString(dir.resolve("referral-ccd.xml"), "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>\n");

    CliHarness.Run send = direct(aliceHome, "send", "--to", BOB, "--subject", "Referral: J. Doe",
        "--body", "Please see J. Doe next week.", "--attach", ccd.toString());

    assertThat(send.exit()).as(send.err()).isZero();
    assertThat(send.out()).contains(BOB).contains("delivered").contains("mail.clinic.example");
    assertThat(mail.waitForMessages(1, 5000)).isTrue();
    String onTheWire = new String(mail.receivedMessages().get(0), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(onTheWire).contains("application/pkcs7-mime").doesNotContain("J. Doe");

    CliHarness.Run fetch = direct(bobHome, "fetch");
    assertThat(fetch.exit()).as(fetch.err()).isZero();
    assertThat(fetch.out()).contains("fetched 1 new message(s)").contains("trusted");

    JsonNode inbox = new ObjectMapper().readTree(direct(bobHome, "inbox", "--json").out());
    assertThat(inbox).hasSize(1);
    assertThat(inbox.get(0).get("subject").asText()).isEqualTo("Referral: J. Doe");
    assertThat(inbox.get(0).get("verdict").asText()).isEqualTo("trusted");
    Path saved = dir.resolve("saved");
    CliHarness.Run read = direct(bobHome, "read", inbox.get(0).get("number").asText(), "--save-attachments", saved.toString());
    assertThat(read.out()).contains("Please see J. Doe next week.").contains("referral-ccd.xml");
    assertThat(Files.readString(saved.resolve("referral-ccd.xml"))).isEqualTo(Files.readString(ccd));

    assertThat(direct(aliceHome, "sent").out()).contains("Referral: J. Doe");
    assertThat(direct(bobHome, "fetch").out()).contains("fetched 0 new message(s)");
  }

  /** Lets Bob's client deliver to the hospital's server and Alice's client fetch from it, so answers come back. */
  private void answersReachAlice() throws Exception {
    TestMailServer hospital = world.hospitalMail();
    Path bobConfig = bobHome.resolve("config.properties");
    Files.writeString(bobConfig, Files.readString(bobConfig).replace("smtp.port = " + mail.smtpPort(),
        "smtp.port = " + hospital.smtpPort()));
    Files.writeString(aliceHome.resolve("config.properties"), Files.readString(aliceHome.resolve("config.properties"))
        + "fetch.protocol = imap\nfetch.host = mail.hospital.example\nfetch.port = " + hospital.imapsPort()
        + "\nfetch.tls = implicit\nfetch.user = maria.rivera\n");
    cli.env.put("ALICE_MAIL_PW", world.physicianMailPassword());
    CliHarness.Run pw = direct(aliceHome, "account", "set-password", "--server-password-env", "ALICE_MAIL_PW");
    assertThat(pw.exit()).as(pw.err()).isZero();
  }

  @Test
  void eachFolderIsNumberedFromOneAndAReplyTravelsInItsThread() throws Exception {
    answersReachAlice();
    assertThat(direct(aliceHome, "send", "--to", BOB, "--subject", "Referral: J. Doe", "--body",
        "Please see J. Doe.").exit()).isZero();
    assertThat(direct(bobHome, "fetch").exit()).isZero();
    assertThat(direct(bobHome, "inbox").out()).containsPattern("(?m)^\\s+1\\s+trusted");
    String originalId = new ObjectMapper().readTree(direct(bobHome, "inbox", "--json").out()).get(0)
        .get("messageId").asText();

    CliHarness.Run reply = direct(bobHome, "reply", "1", "--body", "Seen; booked for Monday.");
    assertThat(reply.exit()).as(reply.err()).isZero();
    CliHarness.Run aliceFetch = direct(aliceHome, "fetch");
    assertThat(aliceFetch.exit()).isZero();
    // Bob's two notifications for the referral arrived too: counted and listed apart from the reply
    assertThat(aliceFetch.out()).contains("fetched 1 new message(s) and 2 delivery notification(s)")
        .containsPattern("(?s)inbox 1 .*Re: Referral.*notifications .*receipts 1.*receipts 2");

    JsonNode inbox = new ObjectMapper().readTree(direct(aliceHome, "inbox", "--json").out());
    assertThat(inbox).hasSize(1);
    assertThat(inbox.get(0).get("number").asInt()).isEqualTo(1);
    assertThat(inbox.get(0).get("subject").asText()).isEqualTo("Re: Referral: J. Doe");
    String raw = direct(aliceHome, "read", "inbox", "1", "--raw").out();
    assertThat(raw).contains("In-Reply-To: " + originalId).contains("References: " + originalId);
    assertThat(direct(aliceHome, "read", "1").out()).contains("Seen; booked for Monday.").contains("> Please see J. Doe.");
    JsonNode read = new ObjectMapper().readTree(direct(aliceHome, "read", "1", "--json").out());
    assertThat(read.get("headers").get("inReplyTo").asText()).isEqualTo(originalId);
    assertThat(read.get("text").asText()).contains("Seen; booked for Monday.");
    assertThat(read.get("verdict").asText()).isEqualTo("trusted");
    assertThat(direct(aliceHome, "sent").out()).containsPattern("(?m)^\\s+1\\s").contains("Referral: J. Doe");
    // Bob's client answered with two notifications first: numbered in the sent folder, listed with --all only
    assertThat(direct(bobHome, "sent").out()).containsPattern("(?m)^\\s+3\\s").contains("Re: Referral: J. Doe")
        .doesNotContainPattern("(?m)^\\s+1\\s");
    cli.env.put("EDITOR", "touch " + dir.resolve("editor-opened") + " && true");
    CliHarness.Run noSuch = direct(aliceHome, "reply", "7");
    cli.env.remove("EDITOR");
    assertThat(noSuch.exit()).isEqualTo(14);
    assertThat(noSuch.err()).contains("no message 7 in the inbox folder");
    assertThat(dir.resolve("editor-opened")).as("no editor for a message that is not there").doesNotExist();
    CliHarness.Run missing = direct(aliceHome, "read", "sent", "9");
    assertThat(missing.exit()).isEqualTo(14);
    assertThat(missing.err()).contains("no message 9 in the sent folder");
  }

  @Test
  void aForwardCarriesTheOriginalWholeWithItsAttachment() throws Exception {
    answersReachAlice();
    Path ccd = Files.writeString(dir.resolve("ccd.xml"), "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>\n");
    assertThat(direct(aliceHome, "send", "--to", BOB, "--subject", "Results", "--body", "Attached.", "--attach",
        ccd.toString()).exit()).isZero();
    assertThat(direct(bobHome, "fetch").exit()).isZero();

    CliHarness.Run fwd = direct(bobHome, "forward", "1", "--to", ALICE, "--body", "For your records.");
    assertThat(fwd.exit()).as(fwd.err()).isZero();
    assertThat(direct(aliceHome, "fetch").exit()).isZero();

    Path saved = dir.resolve("fwd");
    CliHarness.Run read = direct(aliceHome, "read", "1", "--save-attachments", saved.toString());
    assertThat(read.out()).contains("subject  Fwd: Results").contains("For your records.")
        .contains("forwarded message").contains("Attached.").contains("ccd.xml");
    assertThat(Files.readString(saved.resolve("ccd.xml"))).isEqualTo(Files.readString(ccd));
  }

  @Test
  void movesAndDeletionsAreRecordedAndTheSentFolderIsKept() throws Exception {
    for (String subject : new String[] {"Lab results", "Discharge summary"}) {
      assertThat(direct(aliceHome, "send", "--to", BOB, "--subject", subject, "--body", "x").exit()).isZero();
    }
    assertThat(direct(bobHome, "fetch").exit()).isZero();

    assertThat(direct(bobHome, "move", "1", "--to", "archive").out()).contains("moved inbox 1 to the archive folder as message 1");
    assertThat(direct(bobHome, "inbox").out()).doesNotContain("Lab results").contains("Discharge summary");
    assertThat(direct(bobHome, "archive").out()).contains("Lab results");
    // numbers are kept: the second message is still inbox 2
    assertThat(direct(bobHome, "read", "2").out()).contains("Discharge summary");

    CliHarness.Run del = direct(bobHome, "delete", "archive", "1");
    assertThat(del.exit()).as(del.err()).isZero();
    assertThat(direct(bobHome, "archive").out()).contains("empty");
    JsonNode history = new ObjectMapper().readTree(direct(bobHome, "audit", "--history", "--json").out());
    assertThat(history).hasSize(2);
    assertThat(history.get(0).get("action").asText()).isEqualTo("moved");
    assertThat(history.get(1).get("action").asText()).isEqualTo("deleted");
    assertThat(history.get(1).get("from").asText()).contains(ALICE);
    assertThat(history.get(1).get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(history.toString()).doesNotContain("Lab results");

    CliHarness.Run keep = direct(aliceHome, "delete", "sent", "1");
    assertThat(keep.exit()).isEqualTo(2);
    assertThat(keep.err()).contains("record of what was disclosed");
    assertThat(direct(aliceHome, "move", "sent", "1", "--to", "archive").exit()).isEqualTo(2);
  }

  @Test
  void searchFindsBySenderRecipientAndSubjectWords() throws Exception {
    for (String subject : new String[] {"Lab results J. Doe", "Discharge summary J. Roe"}) {
      assertThat(direct(aliceHome, "send", "--to", BOB, "--subject", subject, "--body", "x").exit()).isZero();
    }
    assertThat(direct(bobHome, "fetch").exit()).isZero();

    assertThat(direct(bobHome, "search", "discharge").out()).contains("Discharge summary").doesNotContain("Lab results");
    assertThat(direct(bobHome, "search", "--from", "maria", "results").out()).contains("inbox 1");
    assertThat(new ObjectMapper().readTree(direct(aliceHome, "search", "--to", BOB, "--folder", "sent", "--json")
        .out())).hasSize(2);
    assertThat(direct(bobHome, "search", "--since", "2000-01-01", "--until", "2000-12-31").out())
        .contains("no message matches");
    assertThat(direct(bobHome, "search", "--since", "yesterday").exit()).isEqualTo(2);
  }

  @Test
  void theTextComesFromStandardInputOrTheEditor() throws Exception {
    cli.stdin = "Typed into a pipe.\n";
    assertThat(direct(aliceHome, "send", "--to", BOB, "--subject", "From stdin", "--body-file", "-").exit()).isZero();
    cli.stdin = "";
    cli.env.put("EDITOR", "printf 'Written in the editor.' >");
    CliHarness.Run edited = direct(aliceHome, "send", "--to", BOB, "--subject", "From the editor");
    assertThat(edited.exit()).as(edited.err()).isZero();
    cli.env.remove("EDITOR");
    CliHarness.Run none = direct(aliceHome, "send", "--to", BOB, "--subject", "Nothing");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("--body-file -").contains("$EDITOR");

    assertThat(direct(bobHome, "fetch").exit()).isZero();
    assertThat(direct(bobHome, "read", "1").out()).contains("Typed into a pipe.");
    assertThat(direct(bobHome, "read", "2").out()).contains("Written in the editor.");
    try (var work = Files.list(aliceHome.resolve("work"))) {
      assertThat(work.filter(p -> p.getFileName().toString().startsWith("draft"))).isEmpty();
    }
  }

  @Test
  void timesAreShownInTheUsersZoneAndInJsonAsUtcWithMilliseconds() throws Exception {
    assertThat(direct(aliceHome, "send", "--to", BOB, "--subject", "Zones", "--body", "x").exit()).isZero();
    assertThat(direct(bobHome, "fetch").exit()).isZero();
    cli.env.put("TZ", "America/New_York");
    assertThat(direct(bobHome, "inbox").out()).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d E[SD]T");
    cli.env.put("TZ", "UTC");
    assertThat(direct(bobHome, "inbox").out()).containsPattern("\\d\\d:\\d\\d UTC");
    JsonNode m = new ObjectMapper().readTree(direct(bobHome, "inbox", "--json").out()).get(0);
    assertThat(m.get("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(m.get("storedAt").asText()).matches(".*\\.\\d{3}Z");
  }

  /** Bytes of every file under {@code home}, each file counted once however many links it has. */
  private static long diskUse(Path home) throws Exception {
    java.util.Set<Object> seen = new java.util.HashSet<>();
    long total = 0;
    try (var files = Files.walk(home)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
        if (seen.add(a.fileKey())) {
          total += a.size();
        }
      }
    }
    return total;
  }

  @Test
  void aLargeSentMessageKeepsOnlyItsPlainCopyOnceDelivered() throws Exception {
    byte[] scan = new byte[5 * 1024 * 1024];
    new java.util.Random(7).nextBytes(scan);
    Path attachment = Files.write(dir.resolve("scan.pdf"), scan);
    long before = diskUse(aliceHome);

    CliHarness.Run queued = direct(aliceHome, "send", "--queue-only", "--to", BOB, "--subject", "Scan",
        "--body", "attached", "--attach", attachment.toString());
    assertThat(queued.exit()).as(queued.err()).isZero();
    long whileQueued = diskUse(aliceHome) - before;
    CliHarness.Run delivered = direct(aliceHome, "outbox", "--deliver");
    assertThat(delivered.exit()).as(delivered.err()).isZero();
    long onceDelivered = diskUse(aliceHome) - before;
    System.out.printf("5 MiB attachment on the sender's disk: %.2fx queued, %.2fx delivered%n",
        (double) whileQueued / scan.length, (double) onceDelivered / scan.length);

    // queued: the plain sent copy (base64, 1.37x) and the sealed message (base64 of that, 1.87x)
    assertThat((double) whileQueued / scan.length).isBetween(3.0, 3.4);
    // delivered: the plain copy alone, which the sent folder keeps as the accounting of disclosures
    assertThat((double) onceDelivered / scan.length).isLessThan(1.5);
    assertThat(direct(aliceHome, "status").out()).contains("sent, awaiting processed");
    CliHarness.Run fetch = direct(bobHome, "fetch");
    assertThat(fetch.out()).as(fetch.err()).contains("fetched 1 new message(s)").contains("trusted");
  }

  @Test
  void sendingALargeMessageReportsItsHandOverToTheServerAsJsonLines() throws Exception {
    byte[] scan = new byte[5 * 1024 * 1024];
    new java.util.Random(8).nextBytes(scan);
    Path attachment = Files.write(dir.resolve("scan.pdf"), scan);

    CliHarness.Run send = direct(aliceHome, "send", "--json", "--to", BOB, "--subject", "Scan", "--body", "attached",
        "--attach", attachment.toString());
    CliHarness.Run quiet = direct(aliceHome, "send", "--json", "--quiet", "--to", BOB, "--subject", "Scan",
        "--body", "attached", "--attach", attachment.toString());

    assertThat(send.exit()).as(send.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new java.util.ArrayList<>();
    for (String line : send.err().split("\n")) {
      if (line.startsWith("{")) {
        events.add(json.readTree(line));
      }
    }
    assertThat(events).hasSizeGreaterThan(2).allSatisfy(e -> assertThat(e.get("operation").asText()).isEqualTo("send"));
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("event").asText()).isEqualTo("done");
    assertThat(last.get("bytes").asLong()).isGreaterThan(scan.length);
    // the rate is reported, never asserted (these machines are noisy); docs/benchmarks.md holds the figures
    System.out.printf("sent %d bytes over SMTP to GreenMail in %.2f s: %.1f MB/s%n", last.get("bytes").asLong(),
        last.get("seconds").asDouble(), last.get("bytes").asLong() / 1e6 / last.get("seconds").asDouble());
    assertThat(json.readTree(send.out()).get("recipients").get(0).get("state").asText()).isEqualTo("delivered");
    assertThat(quiet.err()).doesNotContain("{\"event\"");
  }

  @Test
  void aPartialSendIsVisibleInTheExitCodeWithStrict() throws Exception {
    String nobody = "orders@pharmacy.example"; // publishes no certificate

    CliHarness.Run lenient = direct(aliceHome, "send", "--to", BOB, "--to", nobody, "--subject", "Results",
        "--body", "ok");
    CliHarness.Run strict = direct(aliceHome, "send", "--strict", "--to", BOB, "--to", nobody, "--subject", "Results",
        "--body", "ok");

    assertThat(lenient.exit()).as(lenient.err()).isZero();
    assertThat(strict.exit()).as(strict.err()).isEqualTo(18);
    assertThat(strict.err()).contains("not sent to " + nobody);
    assertThat(strict.out()).contains(BOB).contains("delivered");
  }

  @Test
  void theNotificationsTheClientSendsByItselfStayOutOfTheUsersSentMessagesAndStatus() throws Exception {
    CliHarness.Run send = direct(aliceHome, "send", "--to", BOB, "--subject", "Referral: J. Doe", "--body", "See J. Doe.");
    assertThat(send.exit()).as(send.err()).isZero();
    assertThat(mail.waitForMessages(1, 5000)).isTrue();
    assertThat(direct(bobHome, "fetch").exit()).isZero(); // answers with a processed MDN

    CliHarness.Run bobSent = direct(bobHome, "sent");
    CliHarness.Run bobStatus = direct(bobHome, "status");
    CliHarness.Run bobAll = direct(bobHome, "status", "--all", "--json");
    CliHarness.Run bobAllSent = direct(bobHome, "sent", "--all", "--json");
    CliHarness.Run aliceStatus = direct(aliceHome, "status");
    String messageId = new ObjectMapper().readTree(direct(aliceHome, "status", "--json").out()).get(0).get("messageId")
        .asText();
    CliHarness.Run byPrefix = direct(aliceHome, "status", messageId.substring(0, 9));

    assertThat(bobSent.out()).contains("the sent folder is empty");
    assertThat(bobStatus.out()).contains("nothing sent yet");
    JsonNode all = new ObjectMapper().readTree(bobAll.out());
    assertThat(all).as("processed and dispatched").hasSize(2);
    all.forEach(n -> assertThat(n.get("automatic").asBoolean()).isTrue());
    assertThat(new ObjectMapper().readTree(bobAllSent.out())).hasSize(2);
    assertThat(aliceStatus.out()).contains("Referral: J. Doe").contains(BOB);
    assertThat(byPrefix.exit()).as(byPrefix.err()).isZero();
    assertThat(byPrefix.out()).contains(messageId).contains("Referral: J. Doe");
  }

  @Test
  void theAgentCopiesATrustedMessageToTheEhrsImportFolderAndLeavesUnsecuredMailOut() throws Exception {
    Files.writeString(bobHome.resolve("config.properties"), Files.readString(bobHome.resolve("config.properties"))
        + "automation.inbound-folder = inbound\n");
    assertThat(direct(aliceHome, "send", "--to", BOB, "--subject", "Lab result", "--body", "ok").exit()).isZero();
    sendPlainTo(BOB);
    assertThat(mail.waitForMessages(2, 5000)).isTrue();

    CliHarness.Run round = direct(bobHome, "agent", "--once");

    assertThat(round.exit()).as(round.err()).isZero();
    assertThat(round.out()).contains("inbound folder: exported 1");
    Path inbound = bobHome.resolve("inbound");
    JsonNode inbox = new ObjectMapper().readTree(direct(bobHome, "inbox", "--json").out());
    String id = inbox.get(0).get("id").asText();
    JsonNode meta = new ObjectMapper().readTree(inbound.resolve(id + ".json").toFile());
    assertThat(meta.get("verdict").asText()).isEqualTo("trusted");
    assertThat(Files.readString(inbound.resolve(id + ".eml"))).contains("Subject: Lab result");
    try (var files = Files.list(inbound)) {
      assertThat(files.filter(p -> p.toString().endsWith(".json"))).hasSize(1);
    }
    assertThat(direct(bobHome, "agent", "--once").out()).doesNotContain("exported");
  }

  @Test
  void aMessageSentAgainAfterACrashBeforeTheServersReplyIsStoredOnce() throws Exception {
    CliHarness.Run queued = direct(aliceHome, "send", "--queue-only", "--to", BOB, "--subject", "Lab result",
        "--body", "ok");
    assertThat(queued.exit()).as(queued.err()).isZero();
    // what a kill after the final "." but before the 250 leaves on disk: the outbox as it was before the round
    Path before = copyTree(aliceHome.resolve("outbox"), dir.resolve("outbox-before"));
    assertThat(direct(aliceHome, "outbox", "--deliver").exit()).isZero();
    health.direct.core.io.SecureFiles.deleteTree(aliceHome.resolve("outbox"));
    copyTree(before, aliceHome.resolve("outbox"));
    CliHarness.Run again = direct(aliceHome, "outbox", "--deliver");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(mail.waitForMessages(2, 5000)).as("the server took the message twice (RFC 1047)").isTrue();

    CliHarness.Run fetch = direct(bobHome, "fetch");

    assertThat(fetch.exit()).as(fetch.err()).isZero();
    assertThat(fetch.out()).contains("fetched 2 new message(s)").contains("trusted").contains("duplicate");
    JsonNode inbox = new ObjectMapper().readTree(direct(bobHome, "inbox", "--json").out());
    assertThat(inbox).hasSize(1);
    assertThat(inbox.get(0).get("subject").asText()).isEqualTo("Lab result");
  }

  /** Plain, unsigned mail straight into the recipient's server, as any mail client could send. */
  private void sendPlainTo(String to) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
    MimeMessage m = new MimeMessage(Session.getInstance(p));
    m.setFrom(new InternetAddress("mallory@elsewhere.example"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject("Plain text PHI");
    m.setText("not encrypted");
    Transport.send(m);
  }

  private static Path copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }

  @Test
  void popWorksTooAndARefetchStoresNothingTwice() throws Exception {
    Files.writeString(bobHome.resolve("config.properties"), Files.readString(bobHome.resolve("config.properties"))
        .replace(fetchConfig("imap", mail.imapsPort()), fetchConfig("pop3", mail.pop3sPort())
            + "fetch.keep-on-server = true\n"));
    for (int i = 1; i <= 2; i++) {
      CliHarness.Run send = direct(aliceHome, "send", "--to", BOB, "--subject", "Result " + i, "--body", "ok");
      assertThat(send.exit()).as(send.err()).isZero();
    }
    assertThat(mail.waitForMessages(2, 5000)).isTrue();

    assertThat(direct(bobHome, "fetch").out()).contains("fetched 2 new message(s)");
    assertThat(direct(bobHome, "fetch").out()).contains("fetched 0 new message(s); 2 already stored");
    assertThat(new ObjectMapper().readTree(direct(bobHome, "inbox", "--json").out())).hasSize(2);
  }

  @Test
  @Tag("risk8")
  void unsecuredMailIsQuarantinedWithTheReasonNeverShownAsTrusted() throws Exception {
    sendPlainTo(BOB);

    CliHarness.Run fetch = direct(bobHome, "fetch");

    assertThat(fetch.out()).contains("unsecured");
    assertThat(new ObjectMapper().readTree(direct(bobHome, "inbox", "--json").out())).isEmpty();
    JsonNode q = new ObjectMapper().readTree(direct(bobHome, "quarantine", "--json").out());
    assertThat(q).hasSize(1);
    assertThat(q.get(0).get("detail").asText()).contains("neither encrypted nor signed");
    CliHarness.Run reply = direct(bobHome, "reply", "quarantine", "1", "--body", "Who are you?");
    assertThat(reply.exit()).isEqualTo(8);
    assertThat(reply.err()).contains("sender is not verified");
    assertThat(direct(bobHome, "move", "quarantine", "1", "--to", "inbox").exit()).isEqualTo(2);
    assertThat(direct(bobHome, "delete", "quarantine", "1").exit()).isZero();
  }

  @Test
  @Tag("risk1")
  void aRecipientWhoseDomainTakesNoMailFailsAtOnceAndTheSenderIsToldInTheInbox() throws Exception {
    CliHarness.Run send = direct(aliceHome, "send", "--to", "dave@nomail.example", "--subject", "s", "--body", "b");

    assertThat(send.exit()).isEqualTo(15);
    assertThat(send.err()).contains("delivery FAILED for dave@nomail.example").contains("null MX");
    JsonNode outbox = new ObjectMapper().readTree(direct(aliceHome, "outbox", "--json").out());
    assertThat(outbox.get(0).get("recipients").get(0).get("state").asText()).isEqualTo("failed");
    JsonNode inbox = new ObjectMapper().readTree(direct(aliceHome, "inbox", "--json").out());
    assertThat(inbox).singleElement().satisfies(n -> {
      assertThat(n.get("subject").asText()).contains("Undeliverable").contains("dave@nomail.example");
      assertThat(n.get("verdict").asText()).isEqualTo("notice");
    });
  }

  @Test
  void sendTestProvesThePathWithoutPatientData() throws Exception {
    CliHarness.Run r = direct(aliceHome, "contacts", "send-test", BOB);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("to " + BOB + ": delivered");
    assertThat(direct(bobHome, "fetch").out()).contains("fetched 1 new message(s)");
    CliHarness.Run read = direct(bobHome, "read", "1");
    assertThat(read.out()).contains("Direct test message").contains("contains no patient information")
        .contains("verdict  trusted");
  }

  @Test
  void aFetchWithoutAStoredPasswordSaysHowToStoreIt() throws Exception {
    Files.delete(bobHome.resolve("secrets.p12"));

    CliHarness.Run fetch = direct(bobHome, "fetch");

    assertThat(fetch.exit()).isEqualTo(3);
    assertThat(fetch.err()).contains("direct account set-password");
  }

  @Test
  void aRefusedLoginHasItsOwnExitCodeAndIsSaidOnce() throws Exception {
    cli.env.put("WRONG_PW", "not-the-password");
    assertThat(direct(bobHome, "account", "set-password", "--server-password-env", "WRONG_PW").exit()).isZero();

    CliHarness.Run fetch = direct(bobHome, "fetch");

    assertThat(fetch.exit()).isEqualTo(19);
    assertThat(fetch.err()).contains("refused the login for wei.chen").contains("direct account set-password");
    assertThat(fetch.err().split("refused the login", -1)).hasSize(2);
  }

  @Test
  void aStarttlsLoginAimedAtAnImplicitTlsPortFailsInSecondsNamingTheMismatch() throws Exception {
    Path config = bobHome.resolve("config.properties");
    Files.writeString(config, Files.readString(config).replace("fetch.tls = implicit", "fetch.tls = starttls")
        .replace("net.timeout = 10s", "net.timeout = 60s"));
    long start = System.nanoTime();

    CliHarness.Run fetch = direct(bobHome, "fetch");

    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
    assertThat(fetch.exit()).isEqualTo(3);
    assertThat(fetch.err()).contains("fetch.tls = implicit");
  }

  @Test
  void escapeSequencesInUnauthenticatedMailNeverReachTheTerminal() throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
    MimeMessage m = new MimeMessage(Session.getInstance(p));
    m.setFrom(new InternetAddress("mallory@elsewhere.example", "\u001b[2J\u001b[32mtrusted\u001b[0m"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(BOB));
    m.setSubject("\u001b]0;window title\u0007Results \u202eevil");
    m.setText("clipboard \u001b]52;c;ZXZpbA==\u0007 and \u001b[31mred\u001b[0m\nsecond line\n");
    Transport.send(m);

    CliHarness.Run fetch = direct(bobHome, "fetch");
    CliHarness.Run quarantine = direct(bobHome, "quarantine");
    CliHarness.Run read = direct(bobHome, "read", "quarantine", "1");

    for (CliHarness.Run r : List.of(fetch, quarantine, read)) {
      assertThat(r.out() + r.err()).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e");
    }
    assertThat(quarantine.out()).contains("\\x1b]0;window title\\x07Results \\u202eevil");
    assertThat(read.out()).contains("\\x1b[31mred\\x1b[0m").contains("\nsecond line");
  }

  @Test
  void attachmentsNamedLikeFoldersOrPathsAreSavedInsideTheChosenFolder() throws Exception {
    Path eml = Files.writeString(dir.resolve("odd-names.eml"), "From: " + ALICE + "\r\nTo: " + BOB + "\r\n"
        + "Subject: odd names\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
        + "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"..\"\r\n\r\nfirst\r\n"
        + "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"../../escape.txt\"\r\n\r\n"
        + "second\r\n--b--\r\n");
    assertThat(direct(aliceHome, "send", "--eml", eml.toString()).exit()).isZero();
    assertThat(direct(bobHome, "fetch").exit()).isZero();
    Path saved = dir.resolve("saved").resolve("here");

    CliHarness.Run read = direct(bobHome, "read", "1", "--save-attachments", saved.toString());

    assertThat(read.exit()).as(read.err()).isZero();
    try (var files = Files.list(saved)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("attachment-1", "escape.txt");
    }
    assertThat(dir.resolve("saved").resolve("escape.txt")).doesNotExist();
    assertThat(dir.resolve("escape.txt")).doesNotExist();
  }

  @Test
  void twoFetchesOfOneHomeAtOnceStoreEachMessageOnceAndAnswerItOnce() throws Exception {
    int n = 12;
    for (int i = 1; i <= n; i++) {
      CliHarness.Run send = direct(aliceHome, "send", "--to", BOB, "--subject", "Result " + i, "--body", "ok",
          "--queue-only");
      assertThat(send.exit()).as(send.err()).isZero();
    }
    CliHarness.Run deliver = direct(aliceHome, "outbox", "--deliver");
    assertThat(deliver.exit()).as(deliver.err()).isZero();
    assertThat(mail.waitForMessages(n, 10_000)).isTrue();

    Process first = cli.child(bobHome, "fetch");
    Process second = cli.child(bobHome, "fetch");
    assertThat(first.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(second.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(List.of(first.exitValue(), second.exitValue())).as(cli.log()).containsOnly(0);
    JsonNode inbox = new ObjectMapper().readTree(direct(bobHome, "inbox", "--json").out());
    assertThat(inbox).hasSize(n);
    assertThat(new ObjectMapper().readTree(direct(bobHome, "quarantine", "--json").out())).isEmpty();
    JsonNode answers = new ObjectMapper().readTree(direct(bobHome, "status", "--all", "--json").out());
    // each message asked for processed and dispatched: two answers each, never more
    assertThat(answers).hasSize(2 * n);
  }

  @Test
  void aMessageNestedHundredsOfPartsDeepIsRefusedByReadNamingTheLimit() throws Exception {
    StringBuilder b = new StringBuilder("From: mallory@elsewhere.example\r\nTo: " + BOB + "\r\nSubject: deep\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n");
    int depth = 300;
    for (int i = 0; i < depth; i++) {
      b.append("--b").append(i).append("\r\nContent-Type: multipart/mixed; boundary=b").append(i + 1).append("\r\n\r\n");
    }
    for (int i = depth; i >= 0; i--) {
      b.append("--b").append(i).append("--\r\n");
    }
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session, new java.io.ByteArrayInputStream(
        b.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    // sent as parsed, byte for byte (Transport.send would rebuild the headers of every level)
    try (Transport t = session.getTransport("smtp")) {
      t.connect();
      t.sendMessage(m, new jakarta.mail.Address[] {new InternetAddress(BOB)});
    }
    assertThat(direct(bobHome, "fetch").exit()).isZero();

    CliHarness.Run read = direct(bobHome, "read", "quarantine", "1");

    assertThat(read.exit()).as(read.err()).isEqualTo(4);
    assertThat(read.err()).contains("nested more than 50 levels deep").contains("mime.max-nesting").doesNotContain("Exception");
  }
}
