package health.direct.web;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.store.AnchorStore;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.PasswordSource;
import health.direct.core.trust.AnchorScope;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.world.TwoOrganisations;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and sending from the browser: the physician's home against the two organisations' servers. */
class ComposeTest {
  @TempDir
  Path dir;
  TwoOrganisations world;
  WebServer web;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  String cookie;
  String csrf;

  @BeforeEach
  void start() throws Exception {
    world = TwoOrganisations.start(Clock.systemUTC());
    DirectHome home = new DirectHome(dir.resolve("maria")).create();
    char[] pw = "p12".toCharArray();
    new IdentityStore(home, PasswordSource.of("store-pw".toCharArray()), Clock.systemUTC())
        .importPkcs12(world.physician().toPkcs12(pw), pw, Optional.empty());
    new AnchorStore(home).add(List.of(world.pki().root().certificate()), AnchorScope.ANY);
    Path tlsRoot = Files.writeString(dir.resolve("mail-tls-root.pem"), TestIdentity.pem(world.mailTlsRoot()));
    Files.writeString(home.configFile(), "account.address = " + TwoOrganisations.PHYSICIAN + "\n"
        + "dns.servers = " + world.dns().hostAndPort() + "\ndns.dnssec.trust-anchors = none\n"
        + "smtp.port = " + world.clinicMail().smtpPort() + "\ntls.trust-anchors = " + tlsRoot + "\nnet.timeout = 10s\n");
    web = WebServer.start(WebSettings.of("127.0.0.1", 0, Duration.ofMinutes(15)), home,
        HomeConfig.load(home.configFile()), Clock.systemUTC());
    HttpResponse<String> in = http.send(HttpRequest.newBuilder(at("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("password=store-pw")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(in.statusCode()).as(in.body()).isEqualTo(302);
    String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String form = get("/compose").body();
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form);
    assertThat(m.find()).isTrue();
    csrf = m.group(1);
  }

  @AfterEach
  void stop() {
    if (web != null) {
      web.close();
    }
    world.close();
  }

  private URI at(String path) {
    return URI.create("http://127.0.0.1:" + web.port() + path);
  }

  private HttpResponse<String> form(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(at(path)).header("Cookie", cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A multipart POST of plain fields. */
  private HttpResponse<String> post(String path, List<String[]> fields) throws Exception {
    String boundary = "----direct" + System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] field : fields) {
      out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n" + field[1]
          + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(at(path)).header("Cookie", cookie)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(at(path)).header("Cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A multipart/form-data POST of the compose form, as a browser sends it. */
  private HttpResponse<String> send(String to, String subject, String body, String fileName, byte[] file)
      throws Exception {
    String boundary = "----direct" + System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] field : new String[][] {{"csrf", csrf}, {"to", to}, {"subject", subject}, {"body", body}}) {
      out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n" + field[1]
          + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(file);
    out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(at("/compose")).header("Cookie", cookie)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aReferralWithAPdfIsSealedDeliveredAndItsRecipientsStateShown() throws Exception {
    byte[] pdf = "%PDF-1.4 referral letter for J. Doe".getBytes(StandardCharsets.US_ASCII);

    HttpResponse<String> sent = send(TwoOrganisations.SPECIALIST, "Referral: J. Doe", "Please see J. Doe.",
        "referral.pdf", pdf);

    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
    String status = sent.headers().firstValue("Location").orElseThrow();
    assertThat(status).startsWith("/status/");
    HttpResponse<String> page = get(status);
    assertThat(page.body()).contains("Referral: J. Doe").contains(TwoOrganisations.SPECIALIST)
        .contains("awaiting processed");
    assertThat(world.clinicMail().waitForMessages(1, 5000)).isTrue();
    String onTheWire = new String(world.clinicMail().receivedMessages().get(0), StandardCharsets.ISO_8859_1);
    assertThat(onTheWire).contains("application/pkcs7-mime").doesNotContain("J. Doe").doesNotContain("referral.pdf");
    assertThat(get("/folders/sent").body()).contains("Referral: J. Doe");
    try (var left = Files.list(dir.resolve("maria").resolve("work"))) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no upload left behind")
          .noneMatch(n -> n.startsWith("upload-"));
    }
  }

  @Test
  void aRecipientThatCannotBeSecuredSendsNothingAndTheFormComesBackAsTyped() throws Exception {
    HttpResponse<String> refused = send("orders@pharmacy.example", "Order <b>now</b>", "text", "a.pdf", new byte[10]);

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("no recipient can be secured").contains("no certificate found for orders@pharmacy.example")
        .contains("value=\"Order &lt;b>now&lt;/b>\"").doesNotContain("<b>now")
        .contains("orders@pharmacy.example");
    assertThat(world.clinicMail().receivedMessages()).isEmpty();
  }

  @Test
  void aReplyIsPrefilledAndSentInTheThread() throws Exception {
    Path original = Files.writeString(dir.resolve("o.eml"), "From: " + TwoOrganisations.SPECIALIST + "\r\nTo: "
        + TwoOrganisations.PHYSICIAN + "\r\nSubject: Consult J. Doe\r\nMessage-ID: <consult-1@clinic.example>\r\n"
        + "Date: Wed, 02 Dec 2026 10:00:00 +0000\r\n\r\nCan you see J. Doe on Friday?\r\n");
    try (Mailbox box = Mailbox.open(dir.resolve("maria").resolve("mail"), Clock.systemUTC())) {
      box.store(Folder.INBOX, "test:consult", original, Optional.empty(), HeaderSummary.of(original, "trusted", ""));
    }

    String form = get("/compose?reply=inbox/1").body();

    assertThat(form).contains("<h1>Reply</h1>").contains("value=\"" + TwoOrganisations.SPECIALIST + "\"")
        .contains("value=\"Re: Consult J. Doe\"").contains("&gt; Can you see J. Doe on Friday?")
        .contains("name=\"answer\" value=\"reply:inbox:1\"");

    HttpResponse<String> sent = post("/compose", List.of(new String[] {"csrf", csrf},
        new String[] {"answer", "reply:inbox:1"}, new String[] {"to", TwoOrganisations.SPECIALIST},
        new String[] {"subject", "Re: Consult J. Doe"}, new String[] {"body", "Yes, Friday at 10."}));

    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
    try (Mailbox box = Mailbox.open(dir.resolve("maria").resolve("mail"), Clock.systemUTC())) {
      String copy = Files.readString(box.list(Folder.SENT).get(0).file());
      assertThat(copy).contains("In-Reply-To: <consult-1@clinic.example>").contains("References: <consult-1@clinic.example>")
          .contains("Yes, Friday at 10.");
    }
    assertThat(world.clinicMail().waitForMessages(1, 5000)).isTrue();
  }

  @Test
  void aQuarantinedMessageIsNeverAnswered() throws Exception {
    Path bad = Files.writeString(dir.resolve("q.eml"), "From: someone@elsewhere.example\r\nSubject: hi\r\n\r\nx\r\n");
    try (Mailbox box = Mailbox.open(dir.resolve("maria").resolve("mail"), Clock.systemUTC())) {
      box.store(Folder.QUARANTINE, "test:q", bad, Optional.empty(), HeaderSummary.of(bad, "unsecured", ""));
    }

    HttpResponse<String> r = get("/compose?reply=quarantine/1");

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("failed security").contains("check with the sender by another channel");
  }

  @Test
  void theLiveCheckSaysForEachAddressWhetherItCanBeSecuredAndWhy() throws Exception {
    String answer = get("/compose/check?to=" + URLEncoder.encode(TwoOrganisations.SPECIALIST
        + ", orders@pharmacy.example, not-an-address", StandardCharsets.UTF_8)).body();

    assertThat(answer).contains("<li class=\"reach-yes\"><strong>" + TwoOrganisations.SPECIALIST + "</strong> can be "
        + "secured: address-bound certificate")
        .contains("<li class=\"reach-no\"><strong>orders@pharmacy.example</strong> cannot be sent to: no certificate "
            + "found")
        .contains("<li class=\"reach-no\"><strong>not-an-address</strong>");
  }

  @Test
  void theStatusRowsAskAgainEveryFewSecondsUntilEveryRecipientIsSettled() throws Exception {
    HttpResponse<String> sent = send(TwoOrganisations.SPECIALIST, "Referral", "text", "a.pdf", new byte[] {1});
    String status = sent.headers().firstValue("Location").orElseThrow();

    String rows = get(status + "/recipients").body();

    assertThat(rows.strip()).startsWith("<tbody id=\"recipients\" hx-get=\"" + status + "/recipients\" hx-trigger=\"every 3s\"")
        .contains("awaiting processed").doesNotContain("<html");
  }

  @Test
  void theContactFlowShowsTheFingerprintToReadOutMarksItVerifiedAndSendsATestMessage() throws Exception {
    String fingerprint = health.direct.core.cert.CertificateFingerprint.of(world.specialist().certificate()).hex();

    String page = get("/contacts/discover?address=" + TwoOrganisations.SPECIALIST).body();

    assertThat(page).contains("can be secured").contains("not in the address book")
        .contains(health.direct.core.cert.CertificateFingerprint.of(world.specialist().certificate()).colonForm())
        .contains("Call " + TwoOrganisations.SPECIALIST + " on a number you already know");
    HttpResponse<String> verified = form("/contacts/verify", "csrf=" + csrf + "&address=" + TwoOrganisations.SPECIALIST
        + "&fingerprint=" + fingerprint);
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(302);
    assertThat(get(verified.headers().firstValue("Location").orElseThrow()).body())
        .contains(TwoOrganisations.SPECIALIST + " is verified").contains("badge trusted\">verified ");

    HttpResponse<String> forged = form("/contacts/verify", "csrf=" + csrf + "&address=" + TwoOrganisations.SPECIALIST
        + "&fingerprint=" + "00".repeat(32));
    assertThat(forged.statusCode()).isEqualTo(404);
    assertThat(forged.body()).contains("no certificate with fingerprint");

    HttpResponse<String> test = form("/contacts/test", "csrf=" + csrf + "&address=" + TwoOrganisations.SPECIALIST);
    assertThat(test.statusCode()).as(test.body()).isEqualTo(302);
    assertThat(test.headers().firstValue("Location").orElseThrow()).startsWith("/status/");
    assertThat(world.clinicMail().waitForMessages(1, 5000)).isTrue();
  }

  @Test
  void theDisclosuresListWhatWasSentAndDownloadAsCsv() throws Exception {
    send(TwoOrganisations.SPECIALIST, "Referral: J. Doe", "text", "referral.pdf", new byte[] {1, 2, 3});

    String page = get("/audit").body();
    HttpResponse<String> csv = get("/audit.csv?since=2000-01-01&until=2999-12-31");

    assertThat(page).contains("Referral: J. Doe").contains(TwoOrganisations.SPECIALIST).contains("badge trusted\">secured")
        .contains("referral.pdf (3 bytes)");
    assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("disclosures.csv");
    assertThat(csv.body()).startsWith("when,message_id,from,to,secured,subject,attachments,outcomes\r\n")
        .contains(",yes,Referral: J. Doe,\"referral.pdf (application/pdf, 3 bytes, sha256 ");
    assertThat(get("/audit?since=yesterday").statusCode()).isEqualTo(400);
  }

  @Test
  void theHealthPageShowsWhatTheHealthCheckFinds() throws Exception {
    DirectHome home = new DirectHome(dir.resolve("maria"));
    HomeConfig.HealthConfig h = HomeConfig.load(home.configFile()).health();
    health.direct.core.health.HealthCheck.Report report;
    try (Mailbox box = Mailbox.open(home.mail(), Clock.systemUTC())) {
      report = new health.direct.core.health.HealthCheck(Clock.systemUTC(), h.maxQuiet(), h.stuckAfter(), h.window())
          .check(box, new health.direct.core.outbox.Outbox(home.outbox(), Clock.systemUTC(),
              health.direct.core.outbox.RetryPolicy.defaults(), health.direct.core.outbox.ReceiptPolicy.defaults()));
    }

    String page = get("/health").body();

    assertThat(page).contains(report.healthy() ? "badge trusted\">healthy" : "needs attention");
    report.alerts().forEach(a -> assertThat(page).contains(a));
    report.notes().forEach(n -> assertThat(page).contains(n));
  }

  @Test
  void sendingNeedsTheFormsToken() throws Exception {
    csrf = "forged";

    HttpResponse<String> forged = send(TwoOrganisations.SPECIALIST, "x", "y", "a.pdf", new byte[1]);

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(world.clinicMail().receivedMessages()).isEmpty();
  }
}
