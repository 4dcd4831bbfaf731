package health.direct.bench;

import health.direct.app.DirectSession;
import health.direct.app.access.ApiTokens;
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
import health.direct.web.ApiAccess;
import health.direct.web.WebServer;
import health.direct.web.WebSettings;
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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The web client's and the API's latency on one machine, through real HTTP on loopback:
 * <ul>
 *   <li>the first page (50 rows) of an inbox holding N messages, signed in, against the server's
 *       floor in the same run (the style sheet, which touches no store);</li>
 *   <li>an API send of a 1 KiB message until it is queued (seal, sent copy, outbox; the agent not
 *       running), against one seal of the same message through the library in the same run.</li>
 * </ul>
 *
 * <pre>
 * java -cp 'bench/target/direct-bench.jar:bench/target/lib/*' health.direct.bench.WebBench 10000 200
 * </pre>
 * (messages in the inbox; requests per case).
 */
public final class WebBench {
  private WebBench() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dir = Files.createTempDirectory("direct-webbench");
    try (TwoOrganisations world = TwoOrganisations.start(Clock.systemUTC())) {
      DirectHome home = home(dir, world);
      long t0 = System.nanoTime();
      fill(home, dir, messages);
      System.out.printf(Locale.ROOT, "filled the inbox with %,d messages in %.1f s%n", messages,
          (System.nanoTime() - t0) / 1e9);
      HomeConfig config = HomeConfig.load(home.configFile());
      try (DirectSession session = DirectSession.open(home, PasswordSource.of("bench-pw".toCharArray()), config,
          Clock.systemUTC()); Mailbox mailbox = session.mailbox();
          WebServer web = WebServer.start(WebSettings.of("127.0.0.1", 0, Duration.ofMinutes(30)), home, config,
              Clock.systemUTC(), Optional.of(new ApiAccess(session, mailbox, () -> { })))) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String base = "http://127.0.0.1:" + web.port();
        String cookie = signIn(http, base);
        String token = new ApiTokens(home, Clock.systemUTC()).create("bench").secret();

        HttpRequest inbox = HttpRequest.newBuilder(URI.create(base + "/folders/inbox")).header("Cookie", cookie).build();
        HttpRequest css = HttpRequest.newBuilder(URI.create(base + "/static/style.css")).header("Cookie", cookie).build();
        check(http.send(inbox, HttpResponse.BodyHandlers.ofString()), 200, "bench message 0000" + (messages - 1));
        Stats floor = time(requests, () -> check(http.send(css, HttpResponse.BodyHandlers.ofString()), 200, "{"));
        Stats page = time(requests, () -> check(http.send(inbox, HttpResponse.BodyHandlers.ofString()), 200, "badge"));
        report("inbox page of 50 from " + String.format(Locale.ROOT, "%,d", messages), page, floor, "style sheet");

        String text = "Referral for a patient. ".repeat(43).substring(0, 1024);
        String json = "{\"to\":[\"" + TwoOrganisations.SPECIALIST + "\"],\"subject\":\"bench\",\"text\":\"" + text + "\"}";
        int[] n = {0};
        Stats sendTimes = time(requests, () -> check(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .header("Idempotency-Key", "bench-" + n[0]++).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
            HttpResponse.BodyHandlers.ofString()), 202, "securedFor"));
        Stats noKey = time(requests, () -> check(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()), 202,
            "securedFor"));
        Path plain = Files.writeString(dir.resolve("plain.eml"), "From: " + TwoOrganisations.PHYSICIAN + "\r\nTo: "
            + TwoOrganisations.SPECIALIST + "\r\nSubject: bench\r\nMessage-ID: <bench@hospital.example>\r\n\r\n" + text);
        var outgoing = session.outgoing(config.sealOptions());
        Stats seal = time(requests, () -> outgoing.seal(plain, java.io.OutputStream.nullOutputStream()));
        report("API send of 1 KiB to queued", sendTimes, seal, "one seal in the library");
        report("  the same without Idempotency-Key", noKey, seal, "one seal in the library");
      }
    } finally {
      health.direct.core.io.SecureFiles.deleteTree(dir);
    }
  }

  private static DirectHome home(Path dir, TwoOrganisations world) throws Exception {
    DirectHome home = new DirectHome(dir.resolve("home")).create();
    char[] pw = "p12".toCharArray();
    new IdentityStore(home, PasswordSource.of("bench-pw".toCharArray()), Clock.systemUTC())
        .importPkcs12(world.physician().toPkcs12(pw), pw, Optional.empty());
    new AnchorStore(home).add(List.of(world.pki().root().certificate()), AnchorScope.ANY);
    Path tlsRoot = Files.writeString(dir.resolve("tls-root.pem"), TestIdentity.pem(world.mailTlsRoot()));
    Files.writeString(home.configFile(), "account.address = " + TwoOrganisations.PHYSICIAN + "\n"
        + "dns.servers = " + world.dns().hostAndPort() + "\ndns.dnssec.trust-anchors = none\n"
        + "smtp.port = " + world.clinicMail().smtpPort() + "\ntls.trust-anchors = " + tlsRoot + "\n");
    return home;
  }

  private static void fill(DirectHome home, Path dir, int messages) throws Exception {
    try (Mailbox box = Mailbox.open(home.mail(), Clock.systemUTC())) {
      for (int i = 0; i < messages; i++) {
        Path m = Files.writeString(dir.resolve("m.eml"), "From: wei.chen@clinic.example\r\nTo: "
            + TwoOrganisations.PHYSICIAN + "\r\nSubject: bench message " + String.format(Locale.ROOT, "%08d", i)
            + "\r\nMessage-ID: <" + i + "@clinic.example>\r\nDate: Wed, 02 Dec 2026 10:00:00 +0000\r\n\r\ntext " + i
            + "\r\n", StandardCharsets.US_ASCII);
        box.store(Folder.INBOX, "bench:" + i, m, Optional.empty(), HeaderSummary.of(m, "trusted", "signed"));
      }
    }
  }

  private static String signIn(HttpClient http, String base) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("password=bench-pw")).build(), HttpResponse.BodyHandlers.ofString());
    String c = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new IllegalStateException("sign-in failed"));
    return c.substring(0, c.indexOf(';'));
  }

  private static void check(HttpResponse<String> r, int status, String contains) {
    if (r.statusCode() != status || !r.body().contains(contains)) {
      throw new IllegalStateException("unexpected answer " + r.statusCode() + ": "
          + r.body().substring(0, Math.min(300, r.body().length())));
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  /** Per-request times in ms, after a warm-up of a quarter of the runs. */
  private static Stats time(int runs, Step step) throws Exception {
    for (int i = 0; i < Math.max(10, runs / 4); i++) {
      step.run();
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      step.run();
      ms.add((System.nanoTime() - t) / 1e6);
    }
    Collections.sort(ms);
    return new Stats(ms.get(ms.size() / 2), ms.get((int) Math.min(ms.size() - 1, Math.round(ms.size() * 0.95))));
  }

  private record Stats(double median, double p95) {}

  private static void report(String what, Stats s, Stats ref, String refName) {
    System.out.printf(Locale.ROOT, "%-40s median %7.2f ms  p95 %7.2f ms   %s: median %6.2f ms  (ratio %.1fx)%n",
        what, s.median(), s.p95(), refName, ref.median(), s.median() / ref.median());
  }
}
