package health.direct.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.cert.CertificateReader;
import health.direct.core.trust.FetchException;
import health.direct.testkit.TestPki;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The HTTP fetcher against the test PKI's loopback CRL/AIA server. */
class HttpFetcherTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());

  @Test
  void fetchesIssuerCertificateAndCrl() {
    HttpFetcher f = HttpFetcher.withDefaults();
    byte[] cert = f.get(URI.create(pki.aiaUrl(pki.intermediate())));
    assertThat(CertificateReader.readOne(cert, "aia")).isEqualTo(pki.intermediate().certificate());
    byte[] crl = f.get(URI.create(pki.crlUrl(pki.intermediate())));
    assertThat(CertificateReader.readCrl(crl, "crl").getIssuerX500Principal())
        .isEqualTo(pki.intermediate().certificate().getSubjectX500Principal());
  }

  @Test
  void missingObjectIsAnErrorNamingTheStatus() {
    assertThatThrownBy(() -> HttpFetcher.withDefaults().get(URI.create(pki.baseUrl() + "/crl/nope.crl")))
        .isInstanceOf(FetchException.class).hasMessageContaining("HTTP status 404");
  }

  @Test
  void answersLargerThanTheCapAreRefused() {
    HttpFetcher tiny = new HttpFetcher(Duration.ofSeconds(2), Duration.ofSeconds(5), 100);
    assertThatThrownBy(() -> tiny.get(URI.create(pki.aiaUrl(pki.intermediate()))))
        .isInstanceOf(FetchException.class).hasMessageContaining("larger than 100 bytes");
  }

  @Test
  void onlyHttpSchemesAreFetched() {
    assertThatThrownBy(() -> HttpFetcher.withDefaults().get(URI.create("file:///etc/passwd")))
        .isInstanceOf(FetchException.class).hasMessageContaining("only http and https");
  }

  @Test
  void unreachableServerFailsWithinTheTimeout() {
    HttpFetcher f = new HttpFetcher(Duration.ofSeconds(1), Duration.ofSeconds(2), 1000);
    long start = System.nanoTime();
    assertThatThrownBy(() -> f.get(URI.create("http://127.0.0.1:1/x.crl"))).isInstanceOf(FetchException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
