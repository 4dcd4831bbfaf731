package health.direct.transport.http;

import health.direct.core.trust.FetchException;
import health.direct.core.trust.RemoteFetcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches CRLs, issuer certificates and OCSP answers over HTTP(S) for path validation, with a
 * connect and a total time-out and a size cap, so a slow or hostile server cannot stall or flood
 * the client. Redirects are followed except from https to http. TLS certificates are checked.
 *
 * <pre>{@code
 * RemoteFetcher f = new HttpFetcher(Duration.ofSeconds(5), Duration.ofSeconds(15), 10 << 20);
 * }</pre>
 */
public final class HttpFetcher implements RemoteFetcher {
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxBytes;
  private HttpClient client;

  public HttpFetcher(Duration connectTimeout, Duration requestTimeout, int maxBytes) {
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.maxBytes = maxBytes;
  }

  /** Built on the first fetch: the client sets up TLS at once, which most commands never need. */
  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .connectTimeout(connectTimeout)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
    }
    return client;
  }

  /** Defaults: 5 s to connect, 15 s in all, 10 MiB at most. */
  public static HttpFetcher withDefaults() {
    return new HttpFetcher(Duration.ofSeconds(5), Duration.ofSeconds(15), 10 * 1024 * 1024);
  }

  @Override
  public byte[] get(URI uri) {
    requireHttp(uri);
    return send(uri, HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build());
  }

  @Override
  public byte[] post(URI uri, String contentType, byte[] body) {
    requireHttp(uri);
    return send(uri, HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private static void requireHttp(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException(uri, "only http and https are fetched", null);
    }
  }

  private byte[] send(URI uri, HttpRequest request) {
    try {
      HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new FetchException(uri, "HTTP status " + response.statusCode(), null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
          if (out.size() + n > maxBytes) {
            throw new FetchException(uri, "the answer is larger than " + maxBytes + " bytes", null);
          }
          out.write(buf, 0, n);
        }
        return out.toByteArray();
      }
    } catch (IOException e) {
      throw new FetchException(uri, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(uri, "interrupted", e);
    }
  }
}
