package health.direct.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web client over real HTTP on loopback: sign-in, the folders, a message, and what keeps each safe. */
class WebServerTest {
  @TempDir
  Path dir;
  DirectHome home;
  WebServer web;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeEach
  void start() throws Exception {
    home = TestHome.create(dir);
    web = WebServer.start(WebSettings.of("127.0.0.1", 0, Duration.ofMinutes(15)), home, HomeConfig.defaults(),
        Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private URI at(String path) {
    return URI.create("http://127.0.0.1:" + web.port() + path);
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(at(path));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String cookie, String form, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(at(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String signIn() throws Exception {
    HttpResponse<String> r = post("/login", null, "password=" + URLEncoder.encode(TestHome.PASSWORD, StandardCharsets.UTF_8),
        null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String csrf(String page) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(m.find()).as("a CSRF token in the page").isTrue();
    return m.group(1);
  }

  @Test
  void withoutASessionEveryPageLeadsToTheSignIn() throws Exception {
    HttpResponse<String> r = get("/folders/inbox", null);

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue("/login");
    assertThat(get("/login", null).body()).contains("Store password");
  }

  @Test
  void aWrongPasswordIsRefusedInWordsAndTheSixthTryWithinAMinuteMustWait() throws Exception {
    for (int i = 0; i < LoginThrottle.ATTEMPTS; i++) {
      HttpResponse<String> wrong = post("/login", null, "password=guess" + i, null);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("not this home's store password").doesNotContain("Exception");
      assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    }

    HttpResponse<String> sixth = post("/login", null, "password=" + TestHome.PASSWORD, null);

    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(sixth.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void theInboxListsTrustAtAGlanceAndEscapesWhatAMessageSays() throws Exception {
    String cookie = signIn();

    HttpResponse<String> inbox = get("/folders/inbox", cookie);
    HttpResponse<String> quarantine = get("/folders/quarantine", cookie);

    assertThat(inbox.statusCode()).isEqualTo(200);
    assertThat(inbox.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p ->
        assertThat(p).contains("default-src 'none'").contains("frame-ancestors 'none'").contains("script-src 'self';")
            .doesNotContain("unsafe"));
    assertThat(inbox.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(inbox.body()).contains("badge trusted").contains("alice@hospital.example")
        .contains("Referral &lt;script&gt;window.ran = 1&lt;/script&gt;").doesNotContain("<script>");
    assertThat(quarantine.body()).contains("badge unsecured").contains("someone@elsewhere.example");
  }

  @Test
  void aMessageShowsItsVerdictTextAndAttachmentsAsTextAndAttachmentsOnlyDownload() throws Exception {
    String cookie = signIn();

    HttpResponse<String> page = get("/folders/inbox/1", cookie);
    HttpResponse<String> attachment = get("/folders/inbox/1/attachments/1", cookie);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("signed by alice@hospital.example")
        .contains("Please see J. Doe next week. &lt;img src=x onerror=\"window.ran = 2\"&gt;")
        .contains("&lt;b&gt;note&lt;/b&gt;.html").doesNotContain("<img").doesNotContain("<script>");
    // the name is cut at its last slash (the one in "</b>") and reduced to safe characters
    assertThat(attachment.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"b_.html\"");
    assertThat(attachment.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
        assertThat(t).startsWith("application/octet-stream"));
    assertThat(get("/folders/inbox/9", cookie).statusCode()).isEqualTo(404);
    assertThat(get("/folders/nowhere", cookie).statusCode()).isEqualTo(404);
  }

  @Test
  void anHtmlPartAndACcdaAreShownCleanedAndNothingInThemCanRunOrLoad() throws Exception {
    String cookie = signIn();

    String page = get("/folders/archive/1", cookie).body();

    assertThat(page).contains("Dear colleague, <b>Jane Doe</b> was discharged.")
        .contains("<a href=\"https://hospital.example/portal\" rel=\"noopener noreferrer\">portal</a>")
        .contains("<h2>Discharge Summary</h2>").contains("Jane Doe").contains("1970-03-15").contains("Female")
        .contains("MRN-4711").contains("2026-12-01 14:30")
        .contains("<h3>Medications</h3>").contains("<td>Metformin</td>").contains("<ol>")
        .contains("<li>Follow up in <span>two weeks</span></li>").contains("<h3>Diet</h3>")
        .contains("bomb.xml");
    String shown = page.substring(page.indexOf("<main"));
    for (String bad : List.of("<script", "window.ran", "onerror", "onclick", "onload", "javascript:", "remote.example",
        "<iframe", "<img", "<svg", "<style", "style=", "xml-stylesheet", "/etc/passwd", "<input name=\"pw\"")) {
      assertThat(shown).as("the page shows no " + bad).doesNotContain(bad);
    }
  }

  @Test
  void signingOutNeedsTheTokenAndAPostFromAnotherSiteIsRefused() throws Exception {
    String cookie = signIn();
    String token = csrf(get("/folders/inbox", cookie).body());

    HttpResponse<String> noToken = post("/logout", cookie, "", null);
    HttpResponse<String> otherSite = post("/logout", cookie, "csrf=" + token, "http://evil.example");
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(otherSite.statusCode()).isEqualTo(403);
    assertThat(get("/folders/inbox", cookie).statusCode()).as("still signed in").isEqualTo(200);

    HttpResponse<String> out = post("/logout", cookie, "csrf=" + token, "http://127.0.0.1:" + web.port());
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(get("/folders/inbox", cookie).statusCode()).as("the session is over").isEqualTo(302);
  }

  @Test
  void onlyALoopbackAddressIsServed() {
    assertThatThrownBy(() -> WebSettings.of("0.0.0.0", 0, Duration.ofMinutes(15))).isInstanceOf(DirectException.class)
        .hasMessageContaining("without TLS");
  }
}
