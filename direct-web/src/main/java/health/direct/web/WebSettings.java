package health.direct.web;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Where {@code direct serve} listens and how long a signed-in session may sit idle. Only a
 * loopback address is accepted: on any other the password and the patient data would cross the
 * network without TLS, and the server offers no TLS yet.
 *
 * <pre>{@code
 * WebSettings s = WebSettings.of("127.0.0.1", 0, Duration.ofMinutes(15));
 * }</pre>
 */
public record WebSettings(InetAddress host, int port, Duration idleTimeout) {
  public WebSettings {
    if (!host.isLoopbackAddress()) {
      throw new DirectException(Problem.CONFIG, "refusing to serve on " + host.getHostAddress() + ": only a loopback "
          + "address (127.0.0.1 or ::1) is served, since the sign-in and the messages would otherwise cross the network "
          + "without TLS; reach it from elsewhere through an SSH tunnel or a TLS proxy on this machine");
    }
    if (port < 0 || port > 65535) {
      throw new DirectException(Problem.CONFIG, "a port is a number from 1 to 65535 (0: any free port)");
    }
  }

  /** Settings for {@code host} (a name or an address), {@code port} (0: any free one). */
  public static WebSettings of(String host, int port, Duration idleTimeout) {
    try {
      return new WebSettings(InetAddress.getByName(host), port, idleTimeout);
    } catch (UnknownHostException e) {
      throw new DirectException(Problem.CONFIG, "'" + host + "' is not an address this machine can listen on", e);
    }
  }
}
