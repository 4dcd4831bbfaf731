package health.direct.transport.smtp;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.util.Locale;

/**
 * STARTTLS for outgoing SMTP (risk 3): {@code REQUIRED} refuses to send in the clear,
 * {@code OPPORTUNISTIC} uses TLS whenever the server offers it, {@code OFF} never asks. Whenever
 * TLS is used the server's certificate and name are checked.
 */
public enum StartTlsPolicy {
  REQUIRED, OPPORTUNISTIC, OFF;

  public static StartTlsPolicy parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "required" -> REQUIRED;
      case "opportunistic" -> OPPORTUNISTIC;
      case "off" -> OFF;
      default -> throw new DirectException(Problem.CONFIG, "'" + s + "': use required, opportunistic or off");
    };
  }
}
