package health.direct.core.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Sending and receiving settings from the home configuration (docs/configuration.md): the mailbox
 * account, how to reach it, how to hand mail to SMTP servers, extra TLS anchors, the outbox's
 * retry schedule, the agent's interval, and the delivery notifications asked for and waited for. The server password is not here: it lives encrypted
 * in the store ({@code direct account set-password}).
 */
public record MailConfig(Optional<String> address, String fetchProtocol, Optional<String> fetchHost,
    Optional<Integer> fetchPort, String fetchTls, Optional<String> fetchUser, String fetchFolder,
    boolean keepOnServer, boolean allowPlaintextLoopback, int smtpPort, Optional<String> smartHost,
    String startTls, Optional<String> heloName, Duration networkTimeout, Optional<Path> tlsAnchors,
    Duration retryInitial, Duration retryMax, Duration giveUpAfter, Duration agentInterval,
    boolean timelyAndReliable, Duration processedTimeout, Duration dispatchedTimeout) {

  public static MailConfig defaults() {
    return new MailConfig(Optional.empty(), "imap", Optional.empty(), Optional.empty(), "implicit", Optional.empty(),
        "INBOX", false, false, 25, Optional.empty(), "opportunistic", Optional.empty(), Duration.ofSeconds(60),
        Optional.empty(), Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(2), Duration.ofSeconds(60),
        true, Duration.ofMinutes(60), Duration.ofHours(24));
  }
}
