package health.direct.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.cert.ServerKeyMaterial;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code direct serve} over HTTPS: the certificate from PEM files, the cookie Secure, plain HTTP not spoken. */
class TlsServeTest {
  private static final TestPki PKI = TestPki.start(Clock.systemUTC());

  @TempDir
  Path dir;

  @Test
  void underTlsTheSignInIsServedOverHttpsWithASecureCookieAndPlainHttpIsNotSpoken() throws Exception {
    DirectHome home = TestHome.create(dir);
    TestIdentity server = PKI.issue(LeafSpec.tlsServer("localhost"));
    // the chain as a CA hands it out: leaf first, then the intermediate
    Path cert = java.nio.file.Files.writeString(dir.resolve("fullchain.pem"),
        TestIdentity.pem(server.chain().toArray()));
    Path key = server.writePrivateKeyPem(dir.resolve("key.pem"));
    WebSettings settings = WebSettings.tls("127.0.0.1", 0, Duration.ofMinutes(15), ServerKeyMaterial.load(cert, key));

    try (WebServer web = WebServer.start(settings, home, HomeConfig.load(home.configFile()), Clock.systemUTC())) {
      HttpClient https = HttpClient.newBuilder().sslContext(trusting(PKI)).build();
      URI login = URI.create("https://localhost:" + web.port() + "/login");
      HttpResponse<String> form = https.send(HttpRequest.newBuilder(login).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(form.statusCode()).isEqualTo(200);
      assertThat(form.headers().firstValue("Strict-Transport-Security")).isPresent();

      HttpResponse<String> in = https.send(HttpRequest.newBuilder(login)
          .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://localhost:" + web.port())
          .POST(HttpRequest.BodyPublishers.ofString("password=" + TestHome.PASSWORD)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(in.statusCode()).as(in.body()).isEqualTo(302);
      assertThat(in.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Strict")
          .contains("Secure");

      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + web.port() + "/login")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString())).as("no plain HTTP on the TLS port").isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void anotherAddressThanLoopbackIsServedOnlyWithTls() throws Exception {
    assertThatThrownBy(() -> WebSettings.of("0.0.0.0", 0, Duration.ofMinutes(1)))
        .isInstanceOf(DirectException.class).hasMessageContaining("without TLS").hasMessageContaining("--tls-cert");
    TestIdentity server = PKI.issue(LeafSpec.tlsServer("direct.clinic.example"));
    ServerKeyMaterial key = ServerKeyMaterial.load(server.writeCertificatePem(dir.resolve("c.pem")),
        server.writePrivateKeyPem(dir.resolve("k.pem")));
    assertThat(WebSettings.tls("0.0.0.0", 0, Duration.ofMinutes(1), key).scheme()).isEqualTo("https");
  }

  @Test
  void aKeyThatIsNotTheCertificatesOrAMissingFileIsRefusedInWords() throws Exception {
    TestIdentity one = PKI.issue(LeafSpec.tlsServer("localhost"));
    TestIdentity other = PKI.issue(LeafSpec.tlsServer("localhost"));
    Path cert = one.writeCertificatePem(dir.resolve("c.pem"));
    Path wrongKey = other.writePrivateKeyPem(dir.resolve("k.pem"));

    assertThatThrownBy(() -> ServerKeyMaterial.load(cert, wrongKey)).isInstanceOf(DirectException.class)
        .hasMessageContaining("does not belong to the first certificate");
    assertThatThrownBy(() -> ServerKeyMaterial.load(dir.resolve("none.pem"), wrongKey))
        .isInstanceOf(DirectException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ServerKeyMaterial.load(wrongKey, wrongKey)).isInstanceOf(DirectException.class)
        .hasMessageContaining("holds no certificate");
  }

  private static SSLContext trusting(TestPki pki) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("root", pki.root().certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
