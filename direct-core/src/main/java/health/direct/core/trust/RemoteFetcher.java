package health.direct.core.trust;

import java.net.URI;

/**
 * Retrieves the remote objects path validation needs: CRLs (RFC 5280 distribution points), issuer
 * certificates (AIA caIssuers) and OCSP answers. The core holds no network code; the transport
 * module implements this over HTTP with time-outs and size limits.
 *
 * <pre>{@code
 * RemoteFetcher fetcher = RemoteFetcher.offline();   // or new HttpFetcher(...) from direct-transport
 * }</pre>
 */
public interface RemoteFetcher {

  /** GETs {@code uri} and returns the body. */
  byte[] get(URI uri) throws FetchException;

  /** POSTs {@code body} and returns the answer (OCSP over HTTP, RFC 6960 appendix A). */
  byte[] post(URI uri, String contentType, byte[] body) throws FetchException;

  /** A fetcher that never reaches the network: every call fails and says so. */
  static RemoteFetcher offline() {
    return new RemoteFetcher() {
      @Override
      public byte[] get(URI uri) {
        throw new FetchException(uri, "network retrieval is disabled", null);
      }

      @Override
      public byte[] post(URI uri, String contentType, byte[] body) {
        throw new FetchException(uri, "network retrieval is disabled", null);
      }
    };
  }
}
