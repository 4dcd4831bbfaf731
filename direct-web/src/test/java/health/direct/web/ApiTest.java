package health.direct.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.app.DirectSession;
import health.direct.app.access.ApiTokens;
import health.direct.core.store.AnchorStore;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.PasswordSource;
import health.direct.core.trust.AnchorScope;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.world.TwoOrganisations;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API as an EHR calls it: the physician's home against the two organisations' servers. */
class ApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PDF = "%PDF-1.4 discharge summary for J. Doe".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;
  TwoOrganisations world;
  DirectHome home;
  DirectSession session;
  WebServer web;
  String token;
  final AtomicInteger wakes = new AtomicInteger();
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeEach
  void start() throws Exception {
    world = TwoOrganisations.start(Clock.systemUTC());
    home = new DirectHome(dir.resolve("maria")).create();
    char[] pw = "p12".toCharArray();
    new IdentityStore(home, PasswordSource.of("store-pw".toCharArray()), Clock.systemUTC())
        .importPkcs12(world.physician().toPkcs12(pw), pw, Optional.empty());
    new AnchorStore(home).add(List.of(world.pki().root().certificate()), AnchorScope.ANY);
    Path tlsRoot = Files.writeString(dir.resolve("mail-tls-root.pem"), TestIdentity.pem(world.mailTlsRoot()));
    Files.writeString(home.configFile(), "account.address = " + TwoOrganisations.PHYSICIAN + "\n"
        + "dns.servers = " + world.dns().hostAndPort() + "\ndns.dnssec.trust-anchors = none\n"
        + "smtp.port = " + world.clinicMail().smtpPort() + "\ntls.trust-anchors = " + tlsRoot + "\nnet.timeout = 10s\n");
    HomeConfig config = HomeConfig.load(home.configFile());
    session = DirectSession.open(home, PasswordSource.of("store-pw".toCharArray()), config, Clock.systemUTC());
    ApiAccess access = new ApiAccess(session, session.mailbox(), wakes::incrementAndGet);
    web = WebServer.start(WebSettings.of("127.0.0.1", 0, Duration.ofMinutes(15)), home, config, Clock.systemUTC(),
        Optional.of(access));
    token = new ApiTokens(home, Clock.systemUTC()).create("ehr").secret();
  }

  @AfterEach
  void stop() {
    if (web != null) {
      web.close();
    }
    if (session != null) {
      session.close();
    }
    world.close();
  }

  @Test
  void anEhrSendsAReferralAsJsonAndItIsSealedForTheSpecialistAndItsStatusFollows() throws Exception {
    HttpResponse<String> r = post(referral("Referral: J. Doe"), Optional.of("order-1"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    JsonNode sent = JSON.readTree(r.body());
    assertThat(sent.path("replayed").asBoolean()).isFalse();
    assertThat(sent.path("securedFor").toString()).contains(TwoOrganisations.SPECIALIST);
    assertThat(sent.path("notSentTo").size()).isZero();
    assertThat(sent.path("recipients").get(0).path("outcome").asText()).isEqualTo("pending");
    assertThat(wakes.get()).as("the agent is woken to deliver it at once").isEqualTo(1);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location).isEqualTo(sent.path("href").asText()).startsWith("/api/v1/sent/");

    deliver();

    JsonNode status = JSON.readTree(get(location).body());
    assertThat(status.path("recipients").get(0).path("address").asText()).isEqualTo(TwoOrganisations.SPECIALIST);
    assertThat(status.path("recipients").get(0).path("outcome").asText()).isEqualTo("sent, awaiting processed");
    assertThat(status.path("recipients").get(0).path("delivery").asText()).isEqualTo("delivered");
    assertThat(status.path("settled").asBoolean()).isFalse();
    assertThat(world.clinicMail().waitForMessages(1, 5000)).isTrue();
    String onTheWire = new String(world.clinicMail().receivedMessages().get(0), StandardCharsets.ISO_8859_1);
    assertThat(onTheWire).contains("application/pkcs7-mime").doesNotContain("J. Doe").doesNotContain("discharge");
    try (var left = Files.list(home.work())) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no upload left behind")
          .noneMatch(n -> n.startsWith("upload-"));
    }
  }

  @Test
  void aRetriedPostWithTheSameKeyIsAnsweredWithTheFirstMessageAndNeverSendsTwice() throws Exception {
    JsonNode first = JSON.readTree(post(referral("Referral: J. Doe"), Optional.of("order-2")).body());
    HttpResponse<String> again = post(referral("Referral: J. Doe"), Optional.of("order-2"));

    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    JsonNode second = JSON.readTree(again.body());
    assertThat(second.path("replayed").asBoolean()).isTrue();
    assertThat(second.path("messageId").asText()).isEqualTo(first.path("messageId").asText());
    assertThat(session.outbox().list()).hasSize(1);

    HttpResponse<String> other = post(referral("Another patient"), Optional.of("order-2"));
    assertThat(other.statusCode()).isEqualTo(409);
    JsonNode problem = JSON.readTree(other.body());
    assertThat(problem.path("code").asText()).isEqualTo("conflict");
    assertThat(problem.path("exitCode").asInt()).isEqualTo(21);
    assertThat(problem.path("detail").asText()).contains("different request");
    assertThat(session.outbox().list()).hasSize(1);
  }

  @Test
  void eightPostsAtOnceWithOneKeySendOneMessage() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(pool.submit(() -> post(referral("Referral: J. Doe"), Optional.of("order-3"))));
      }
      List<String> ids = new ArrayList<>();
      for (Future<HttpResponse<String>> f : all) {
        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        ids.add(JSON.readTree(r.body()).path("messageId").asText());
      }
      assertThat(ids).containsOnly(ids.get(0));
      assertThat(session.outbox().list()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMultipartSendCarriesItsFile() throws Exception {
    String boundary = "----api" + System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] f : new String[][] {{"to", TwoOrganisations.SPECIALIST}, {"subject", "Referral"}, {"text", "See attached."}}) {
      out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n" + f[1] + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"summary.pdf\"\r\n"
        + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(PDF);
    out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r = http.send(authorised("/api/v1/messages")
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode sentCopy = JSON.readTree(get("/api/v1/folders/sent/messages/1").body());
    assertThat(sentCopy.path("attachments").get(0).path("name").asText()).isEqualTo("summary.pdf");
  }

  @Test
  void aSentMessageIsListedAndReadWithItsTextAndAttachment() throws Exception {
    post(referral("Referral: J. Doe"), Optional.empty());

    JsonNode page = JSON.readTree(get("/api/v1/folders/sent/messages?pageSize=10").body());
    assertThat(page.path("total").asInt()).isEqualTo(1);
    JsonNode row = page.path("messages").get(0);
    assertThat(row.path("subject").asText()).isEqualTo("Referral: J. Doe");
    JsonNode message = JSON.readTree(get(row.path("href").asText()).body());
    assertThat(message.path("text").asText()).contains("Please see J. Doe");
    JsonNode attachment = message.path("attachments").get(0);
    assertThat(attachment.path("name").asText()).isEqualTo("summary.pdf");
    HttpResponse<byte[]> bytes = http.send(authorised(attachment.path("href").asText()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bytes.body()).isEqualTo(PDF);
    assertThat(bytes.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/octet-stream");
    assertThat(bytes.headers().firstValue("Content-Disposition").orElseThrow()).contains("summary.pdf");
  }

  @Test
  void aRecipientThatCannotBeSecuredIsAProblemWithTheCommandLinesCodeAndNothingIsSent() throws Exception {
    ObjectNode m = referral("Order");
    m.putArray("to").add("orders@pharmacy.example");

    HttpResponse<String> r = post(m, Optional.of("order-4"));

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    JsonNode p = JSON.readTree(r.body());
    assertThat(p.path("code").asText()).isEqualTo("no-trusted-recipient");
    assertThat(p.path("exitCode").asInt()).isEqualTo(11);
    assertThat(p.path("type").asText()).isEqualTo("urn:direct:problem:no-trusted-recipient");
    assertThat(p.path("detail").asText()).contains("no certificate found for orders@pharmacy.example");
    assertThat(session.outbox().list()).isEmpty();
    ObjectNode fixed = referral("Order");
    assertThat(post(fixed, Optional.of("order-4")).statusCode()).as("a refused request may be retried with its key")
        .isEqualTo(202);
  }

  @Test
  void canSendAnswersYesForTheSpecialistAndNoWithTheReasonForAnAddressWithoutCertificate() throws Exception {
    JsonNode yes = JSON.readTree(get("/api/v1/can-send?address=" + TwoOrganisations.SPECIALIST).body());
    assertThat(yes.path("canSend").asBoolean()).isTrue();
    assertThat(yes.path("secured").asBoolean()).isTrue();
    assertThat(yes.path("certificates").get(0).path("kept").asBoolean()).isTrue();
    assertThat(yes.path("questions").size()).isPositive();

    JsonNode no = JSON.readTree(get("/api/v1/can-send?address=orders@pharmacy.example").body());
    assertThat(no.path("canSend").asBoolean()).isFalse();
    assertThat(no.path("reason").asText()).contains("no certificate found");

    HttpResponse<String> bad = get("/api/v1/can-send?address=not-an-address");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("code").asText()).isEqualTo("malformed-input");
  }

  @Test
  void requestsWithoutAValidTokenAreRefusedAndARevokedTokenStopsWorking() throws Exception {
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(at("/api/v1/folders/inbox/messages")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
    assertThat(JSON.readTree(none.body()).path("code").asText()).isEqualTo("login-refused");

    HttpResponse<String> forged = http.send(HttpRequest.newBuilder(at("/api/v1/folders/inbox/messages"))
        .header("Authorization", "Bearer direct_" + "A".repeat(43)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(401);

    assertThat(get("/api/v1/folders/inbox/messages").statusCode()).isEqualTo(200);
    new ApiTokens(home, Clock.systemUTC()).revoke("ehr");
    assertThat(get("/api/v1/folders/inbox/messages").statusCode()).isEqualTo(401);
    assertThat(Files.readString(home.root().resolve("api-tokens.properties"))).doesNotContain(token);
  }

  @Test
  void badRequestsAreProblemsInWordsNeverJavaNames() throws Exception {
    HttpResponse<String> notJson = http.send(authorised("/api/v1/messages").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"to\": [")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(notJson.statusCode()).isEqualTo(400);
    JsonNode p = JSON.readTree(notJson.body());
    assertThat(p.path("code").asText()).isEqualTo("malformed-input");
    assertThat(p.path("detail").asText()).startsWith("the request is not JSON").doesNotContain("com.fasterxml")
        .doesNotContain("Exception");

    ObjectNode badBase64 = referral("x");
    ((ObjectNode) badBase64.path("attachments").get(0)).put("data", "%%%");
    HttpResponse<String> b = post(badBase64, Optional.empty());
    assertThat(b.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(b.body()).path("detail").asText()).contains("summary.pdf").contains("not base64");

    HttpResponse<String> missing = get("/api/v1/folders/inbox/messages/99");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).path("exitCode").asInt()).isEqualTo(14);

    HttpResponse<String> noRoute = get("/api/v1/nothing-here");
    assertThat(noRoute.statusCode()).isEqualTo(404);
    assertThat(noRoute.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
  }

  @Test
  void theEventStreamTellsOfEachRecipientsStatusChange() throws Exception {
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    CompletableFuture<HttpResponse<InputStream>> stream = http.sendAsync(authorised("/api/v1/events")
        .header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> events = stream.get(10, TimeUnit.SECONDS);
    assertThat(events.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // closed at the end of the test
      }
    });
    reader.setDaemon(true);
    reader.start();
    assertThat(lines.poll(10, TimeUnit.SECONDS)).as("the stream says it is listening").startsWith(":");

    post(referral("Referral: J. Doe"), Optional.empty());
    deliver();

    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < until && seen.stream().noneMatch(l -> l.contains("sent, awaiting processed"))) {
      Optional.ofNullable(lines.poll(1, TimeUnit.SECONDS)).ifPresent(seen::add);
    }
    assertThat(seen).contains("event: status");
    assertThat(seen).anyMatch(l -> l.startsWith("data: ") && l.contains(TwoOrganisations.SPECIALIST)
        && l.contains("sent, awaiting processed"));
    events.body().close();
  }

  @Test
  void theDescriptionIsAValidOpenApi3DocumentAndEveryOperationInItIsServed() throws Exception {
    HttpResponse<String> doc = http.send(HttpRequest.newBuilder(at("/api/v1/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(doc.statusCode()).as("the description needs no token").isEqualTo(200);

    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(doc.body());
    assertThat(parsed.getMessages()).as("the OpenAPI parser's complaints").isEmpty();
    assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");

    JsonNode paths = JSON.readTree(doc.body()).path("paths");
    List<String> documented = new ArrayList<>();
    paths.fieldNames().forEachRemaining(documented::add);
    assertThat(documented).contains("/api/v1/messages", "/api/v1/folders/{folder}/messages",
        "/api/v1/folders/{folder}/messages/{number}", "/api/v1/sent/{id}", "/api/v1/can-send", "/api/v1/events");
    for (String path : documented) {
      if (paths.path(path).has("get") && !path.equals("/api/v1/events")) {
        String concrete = path.replace("{folder}", "inbox").replace("{number}", "1").replace("{attachment}", "1")
            .replace("{id}", "none") + (path.endsWith("can-send") ? "?address=" + TwoOrganisations.SPECIALIST : "");
        HttpResponse<String> r = get(concrete);
        assertThat(r.body()).as(path + " is routed").doesNotContain("in the API (see /api/v1/openapi.json)");
        assertThat(paths.path(path).path("get").path("responses").has(Integer.toString(r.statusCode())))
            .as(path + " answered " + r.statusCode() + ", which its description lists").isTrue();
      }
    }
  }

  @Test
  void nothingFromAMessageOrATokenReachesTheServersLog() throws Exception {
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err = System.err;
    java.io.PrintStream out = System.out;
    System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
    System.setOut(new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      post(referral("Referral: J. Doe"), Optional.of("order-log"));
      deliver();
      JsonNode sent = JSON.readTree(get("/api/v1/folders/sent/messages").body());
      get(sent.path("messages").get(0).path("href").asText());
      get("/api/v1/folders/sent/messages/1/attachments/1");
      post(JSON.createObjectNode().put("subject", "Secret J. Doe"), Optional.empty()); // refused: no recipient
      http.send(HttpRequest.newBuilder(at("/api/v1/messages")).header("Authorization", "Bearer " + token + "x")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      org.slf4j.LoggerFactory.getLogger(ApiTest.class).warn("probe: the capture sees the log");
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("probe: the capture sees the log");
    for (String secret : List.of("J. Doe", "Referral", "summary.pdf", "discharge", token.substring(7))) {
      assertThat(logged).as("the log holds no " + secret).doesNotContain(secret);
    }
  }

  private void deliver() {
    try (var mailbox = session.mailbox()) {
      session.deliver(mailbox).deliverDue(f -> { });
    }
  }

  private ObjectNode referral(String subject) {
    ObjectNode m = JSON.createObjectNode();
    m.putArray("to").add(TwoOrganisations.SPECIALIST);
    m.put("subject", subject).put("text", "Please see J. Doe.");
    m.putArray("attachments").addObject().put("filename", "summary.pdf")
        .put("data", Base64.getEncoder().encodeToString(PDF));
    return m;
  }

  private HttpResponse<String> post(JsonNode body, Optional<String> key) throws Exception {
    HttpRequest.Builder b = authorised("/api/v1/messages").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    key.ifPresent(k -> b.header("Idempotency-Key", k));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(authorised(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder authorised(String path) {
    return HttpRequest.newBuilder(at(path)).header("Authorization", "Bearer " + token);
  }

  private URI at(String path) {
    return URI.create("http://127.0.0.1:" + web.port() + path);
  }
}
