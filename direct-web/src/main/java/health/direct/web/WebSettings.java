package health.direct.web;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Where {@code direct serve} listens, with or without TLS, and how long a signed-in session may
 * sit idle. Without TLS only a loopback address is accepted: on any other the password and the
 * patient data would cross the network in the clear.
 *
 * <pre>{@code
 * WebSettings s = WebSettings.of("127.0.0.1", 0, Duration.ofMinutes(15));
 * WebSettings tls = WebSettings.tls("0.0.0.0", 8443, Duration.ofMinutes(15),
 *     ServerKeyMaterial.load(Path.of("fullchain.pem"), Path.of("privkey.pem")));
 * }</pre>
 */
public record WebSettings(InetAddress host, int port, Duration idleTimeout,
    java.util.Optional<health.direct.core.cert.ServerKeyMaterial> tls) {
  public WebSettings {
    if (!host.isLoopbackAddress() && tls.isEmpty()) {
      throw new DirectException(Problem.CONFIG, "refusing to serve on " + host.getHostAddress() + " without TLS: the "
          + "sign-in and the messages would cross the network in the clear; give --tls-cert and --tls-key (or "
          + "serve.tls.cert and serve.tls.key in the settings), or serve on 127.0.0.1 and reach it through an SSH "
          + "tunnel");
    }
    if (port < 0 || port > 65535) {
      throw new DirectException(Problem.CONFIG, "a port is a number from 1 to 65535 (0: any free port)");
    }
  }

  /** Settings for {@code host} and {@code port} served over TLS with {@code key}'s certificate and key. */
  public static WebSettings tls(String host, int port, Duration idleTimeout,
      health.direct.core.cert.ServerKeyMaterial key) {
    try {
      return new WebSettings(InetAddress.getByName(host), port, idleTimeout, java.util.Optional.of(key));
    } catch (UnknownHostException e) {
      throw new DirectException(Problem.CONFIG, "'" + host + "' is not an address this machine can listen on", e);
    }
  }

  /** "https" under TLS, else "http". */
  public String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  /** Settings for {@code host} (a name or an address), {@code port} (0: any free one). */
  public static WebSettings of(String host, int port, Duration idleTimeout) {
    try {
      return new WebSettings(InetAddress.getByName(host), port, idleTimeout, java.util.Optional.empty());
    } catch (UnknownHostException e) {
      throw new DirectException(Problem.CONFIG, "'" + host + "' is not an address this machine can listen on", e);
    }
  }
}
