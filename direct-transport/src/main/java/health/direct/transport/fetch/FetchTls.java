package health.direct.transport.fetch;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.util.Locale;

/** How the mailbox connection is protected: TLS from the first byte, STARTTLS/STLS, or none. */
public enum FetchTls {
  IMPLICIT, STARTTLS, NONE;

  public static FetchTls parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "implicit", "tls", "ssl" -> IMPLICIT;
      case "starttls", "stls" -> STARTTLS;
      case "none", "plain" -> NONE;
      default -> throw new DirectException(Problem.CONFIG, "'" + s + "': use implicit, starttls or none");
    };
  }
}
