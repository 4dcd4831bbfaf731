package health.direct.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web client in a real browser: Debian's Chromium, headless, driven by Selenium through
 * Debian's chromedriver (both installed by .ci/run). Screenshots go to target/screenshots/.
 */
class BrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir
  Path dir;
  WebServer web;
  WebDriver browser;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "chromium and chromedriver are not installed; .ci/run installs them");
    DirectHome home = TestHome.create(dir);
    web = WebServer.start(WebSettings.of("127.0.0.1", 0, Duration.ofMinutes(15)), home, HomeConfig.defaults(),
        Clock.systemUTC());
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,800",
            "--user-data-dir=" + dir.resolve("profile"));
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build(), options);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (web != null) {
      web.close();
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + web.port() + path;
  }

  private void screenshot(String name) throws Exception {
    Path shots = Files.createDirectories(Path.of("target", "screenshots"));
    Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  /** Waits for the page a click led to, up to 10 s, and says where the browser is. */
  private String arrivedAt(String pathEnd) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!browser.getCurrentUrl().endsWith(pathEnd) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return browser.getCurrentUrl();
  }

  /** What the page's script context holds: nothing a message put there. */
  private Object ran() {
    return ((JavascriptExecutor) browser).executeScript("return window.ran === undefined ? null : window.ran;");
  }

  @Test
  void aClinicianSignsInSeesTrustAtAGlanceAndReadsAMessageWhoseScriptsNeverRun() throws Exception {
    browser.get(url("/folders/inbox"));
    assertThat(browser.getCurrentUrl()).endsWith("/login");
    screenshot("sign-in");
    browser.findElement(By.id("password")).sendKeys(TestHome.PASSWORD);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();

    assertThat(arrivedAt("/folders/inbox")).as(browser.getPageSource()).endsWith("/folders/inbox");
    assertThat(browser.findElement(By.cssSelector("table.messages .badge")).getText()).isEqualTo("trusted");
    assertThat(browser.findElement(By.cssSelector("table.messages a")).getText())
        .isEqualTo("Referral <script>window.ran = 1</script>");
    assertThat(ran()).isNull();
    screenshot("inbox");

    browser.findElement(By.cssSelector("table.messages a")).click();
    assertThat(arrivedAt("/folders/inbox/1")).endsWith("/folders/inbox/1");
    assertThat(browser.findElement(By.cssSelector(".verdict .badge")).getText()).isEqualTo("trusted");
    assertThat(browser.findElement(By.cssSelector("pre.text")).getText()).contains("Please see J. Doe next week.")
        .contains("<img src=x onerror=\"window.ran = 2\">");
    assertThat(browser.findElements(By.tagName("img"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector(".attachment a")).getText()).isEqualTo("<b>note</b>.html");
    assertThat(ran()).isNull();
    screenshot("message");

    browser.findElement(By.linkText("Archive")).click();
    browser.findElement(By.cssSelector("table.messages a")).click();
    assertThat(arrivedAt("/folders/archive/1")).endsWith("/folders/archive/1");
    assertThat(browser.findElement(By.cssSelector(".cda h2")).getText()).isEqualTo("Discharge Summary");
    assertThat(browser.findElement(By.cssSelector(".cda .patient")).getText()).contains("Jane Doe").contains("MRN-4711");
    assertThat(browser.findElements(By.cssSelector(".cda-section h3")).stream().map(e -> e.getText()))
        .containsExactly("Medications", "Plan", "Diet");
    assertThat(browser.findElement(By.cssSelector(".html-body")).getText()).contains("Jane Doe was discharged");
    assertThat(browser.findElements(By.tagName("img"))).isEmpty();
    assertThat(browser.findElements(By.tagName("iframe"))).isEmpty();
    assertThat(ran()).as("no script from the message ran").isNull();
    screenshot("cda");

    browser.findElement(By.linkText("Quarantine")).click();
    assertThat(arrivedAt("/folders/quarantine")).endsWith("/folders/quarantine");
    assertThat(browser.findElement(By.cssSelector("table.messages .badge")).getText()).isEqualTo("unsecured");

    browser.findElement(By.linkText("New message")).click();
    assertThat(arrivedAt("/compose")).endsWith("/compose");
    assertThat(browser.findElement(By.cssSelector("form.compose")).getText()).contains("up to 25 MB each");
    browser.findElement(By.id("to")).sendKeys("not-an-address");
    // htmx, served by the server itself under a CSP that allows no other script, asks after each pause in typing
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (browser.findElements(By.cssSelector("#reach li.reach-no")).isEmpty() && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(browser.findElement(By.cssSelector("#reach")).getText()).contains("not-an-address");
    assertThat(ran()).isNull();
    screenshot("compose-check");

    // with a file attached the form is sent by upload.js, which follows the upload; a refusal comes back as the form
    Path file = Files.write(dir.resolve("letter.pdf"), new byte[2 << 20]);
    assertThat(browser.findElement(By.cssSelector("form.compose")).getDomAttribute("data-progress")).isEqualTo("on");
    browser.findElement(By.id("subject")).sendKeys("Referral");
    browser.findElement(By.id("attachments")).sendKeys(file.toString());
    browser.findElement(By.cssSelector("form.compose button[type=submit]")).click();
    long refusedBy = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (browser.findElements(By.cssSelector("p.problem")).isEmpty() && System.nanoTime() < refusedBy) {
      Thread.sleep(100);
    }
    assertThat(browser.findElement(By.cssSelector("p.problem")).getText()).contains("is not a Direct address");
    assertThat(browser.findElement(By.id("subject")).getDomProperty("value")).isEqualTo("Referral");
    browser.get(url("/compose"));
    screenshot("compose");

    browser.findElement(By.cssSelector("form.logout button")).click();
    assertThat(arrivedAt("/login")).endsWith("/login");
    browser.get(url("/folders/inbox"));
    assertThat(browser.getCurrentUrl()).as("signed out").endsWith("/login");
  }
}
