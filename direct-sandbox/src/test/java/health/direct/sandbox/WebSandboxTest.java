package health.direct.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * {@code sandbox --web} end to end in a real browser: Dr. Rivera writes a referral with a PDF in
 * her organisation's web client, and Dr. Chen finds it, trusted, in his, with the PDF to download.
 */
class WebSandboxTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir
  Path dir;

  @Test
  void aReferralWithAPdfWrittenInOneOrganisationsBrowserArrivesTrustedInTheOthers() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "chromium and chromedriver are not installed; .ci/run installs them");
    Path pdf = Files.writeString(dir.resolve("referral.pdf"), "%PDF-1.4 referral letter");
    WebDriver browser = null;
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC()); WebClients web = WebClients.start(s)) {
      String password = Files.readAllLines(s.passwordFile()).get(0);
      browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
          .usingAnyFreePort().build(), new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments(
              "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,800",
              "--user-data-dir=" + dir.resolve("profile")));
      String hospital = web.clients().get(0).url();
      String clinic = web.clients().get(1).url();

      signIn(browser, hospital, password);
      browser.findElement(By.linkText("New message")).click();
      browser.findElement(By.id("to")).sendKeys(s.specialist().address().toString());
      browser.findElement(By.id("subject")).sendKeys("Referral: J. Doe");
      browser.findElement(By.id("body")).sendKeys("Please see J. Doe about the chest pain.");
      browser.findElement(By.id("attachments")).sendKeys(pdf.toString());
      browser.findElement(By.cssSelector("form.compose button[type=submit]")).click();
      assertThat(arrived(browser, "/status/")).as(browser.getPageSource()).contains("/status/");
      assertThat(browser.findElement(By.cssSelector("table.recipients")).getText())
          .contains(s.specialist().address().toString());

      signIn(browser, clinic, password);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!browser.getPageSource().contains("Referral: J. Doe") && System.nanoTime() < until) {
        Thread.sleep(500);
        browser.navigate().refresh();
      }
      browser.findElement(By.linkText("Referral: J. Doe")).click();
      assertThat(browser.findElement(By.cssSelector(".verdict .badge")).getText()).isEqualTo("trusted");
      assertThat(browser.findElement(By.cssSelector(".verdict .detail")).getText())
          .contains("signed by " + s.physician().address());
      assertThat(browser.findElement(By.cssSelector("pre.text")).getText()).contains("chest pain");
      assertThat(browser.findElement(By.cssSelector(".attachment a")).getText()).isEqualTo("referral.pdf");
      Path shots = Files.createDirectories(Path.of("target", "screenshots"));
      Files.write(shots.resolve("sandbox-received.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      if (browser != null) {
        browser.quit();
      }
    }
  }

  private static void signIn(WebDriver browser, String base, String password) throws InterruptedException {
    browser.get(base + "login");
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    assertThat(arrived(browser, "/folders/inbox")).endsWith("/folders/inbox");
  }

  /** The page's address once it contains {@code part}, or after 15 s whatever it is. */
  private static String arrived(WebDriver browser, String part) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!browser.getCurrentUrl().contains(part) && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    return browser.getCurrentUrl();
  }
}
