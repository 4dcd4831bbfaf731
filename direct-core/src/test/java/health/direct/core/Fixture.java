package health.direct.core;

import health.direct.core.incoming.IncomingProcessor;
import health.direct.core.smime.LocalIdentities;
import health.direct.core.outgoing.OutgoingProcessor;
import health.direct.core.resolve.RecipientSelector;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.resolve.CertificateResolver;
import health.direct.core.resolve.FoundCertificate;
import health.direct.core.resolve.Resolution;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.smime.MessageOpener;
import health.direct.core.smime.MessageSealer;
import health.direct.core.smime.SealOptions;
import health.direct.core.smime.SigningIdentity;
import health.direct.core.trust.FetchException;
import health.direct.core.trust.RemoteFetcher;
import health.direct.core.trust.RevocationPolicy;
import health.direct.core.trust.TrustAnchors;
import health.direct.core.trust.TrustValidator;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Wiring for core tests: a test PKI, in-memory identities and a map-backed address book. */
public final class Fixture {
  public final TestPki pki;
  public final Clock clock;
  public final Map<String, List<X509Certificate>> addressBook = new HashMap<>();

  public Fixture(TestPki pki) {
    this.pki = pki;
    this.clock = pki.clock();
  }

  /** Plain HTTP GET/POST with short time-outs, enough to reach the fixture's loopback server. */
  public static RemoteFetcher http() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return new RemoteFetcher() {
      @Override
      public byte[] get(URI uri) {
        return send(uri, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build());
      }

      @Override
      public byte[] post(URI uri, String type, byte[] body) {
        return send(uri, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
      }

      private byte[] send(URI uri, HttpRequest r) {
        try {
          HttpResponse<byte[]> resp = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
          if (resp.statusCode() != 200) {
            throw new FetchException(uri, "HTTP " + resp.statusCode(), null);
          }
          return resp.body();
        } catch (java.io.IOException | InterruptedException e) {
          throw new FetchException(uri, e.toString(), e);
        }
      }
    };
  }

  public TrustValidator validator() {
    return new TrustValidator(clock, http(), RevocationPolicy.STRICT, Duration.ZERO);
  }

  public TrustAnchors anchors() {
    return TrustAnchors.of(pki.root().certificate());
  }

  public void publish(String address, X509Certificate... certs) {
    addressBook.computeIfAbsent(address.toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).addAll(List.of(certs));
  }

  public CertificateResolver resolver() {
    return address -> {
      List<X509Certificate> certs = addressBook.get(address.canonical());
      if (certs == null) {
        return Resolution.none(address, Attempt.of("test address book", address.toString(), "no entry"));
      }
      return new Resolution(address, certs.stream()
          .map(c -> new FoundCertificate(c, "test address book", CertificateBinding.of(c, address))).toList(),
          List.of(Attempt.of("test address book", address.toString(), "found")));
    };
  }

  /** The test address book as a published source (so nothing is pinned). */
  public CertificateDiscovery discovery() {
    return new CertificateDiscovery(address -> Resolution.none(address, List.of()), List.of(resolver()),
        new RecipientSelector(validator()), true);
  }

  public static SigningIdentity signing(TestIdentity id) {
    return new SigningIdentity(id.privateKey(), id.chain());
  }

  public OutgoingProcessor sender(TestIdentity me, SealOptions options) {
    return new OutgoingProcessor(LocalIdentities.inMemory(List.of(signing(me))), discovery(), anchors(),
        options, new MessageSealer(CryptoProviders.detect()), clock);
  }

  public OutgoingProcessor sender(TestIdentity me) {
    return sender(me, SealOptions.builder().build());
  }

  public IncomingProcessor receiver(Path work, TestIdentity... me) {
    List<SigningIdentity> ids = new ArrayList<>();
    for (TestIdentity t : me) {
      ids.add(signing(t));
    }
    return new IncomingProcessor(LocalIdentities.inMemory(ids), anchors(), validator(),
        new MessageOpener(CryptoProviders.detect(), work));
  }
}
