package health.direct.transport.smtp;

import java.time.Duration;
import java.util.Optional;

/**
 * How to hand mail to servers: the SMTP port of MX hosts (25; other ports for tests and special
 * set-ups), an optional smart host that takes all mail instead of the MX hosts, the STARTTLS
 * policy, the name we greet with, and the time-out of each network step.
 */
public record SmtpSettings(int port, Optional<String> smartHost, int smartHostPort, StartTlsPolicy startTls,
    Optional<String> heloName, Duration timeout) {

  public static SmtpSettings defaults() {
    return new SmtpSettings(25, Optional.empty(), 25, StartTlsPolicy.OPPORTUNISTIC, Optional.empty(),
        Duration.ofSeconds(60));
  }
}
