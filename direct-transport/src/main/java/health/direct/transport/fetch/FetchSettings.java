package health.direct.transport.fetch;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The mailbox to fetch from (arc 5): IMAP or POP3, host and port, TLS mode, login, the folder
 * (IMAP), whether to leave messages on the server, and whether a plaintext login to a loopback
 * server is allowed (it never is to any other).
 */
public record FetchSettings(Protocol protocol, String host, int port, FetchTls tls, String user,
    Supplier<char[]> password, String folder, boolean keepOnServer, boolean allowPlaintextLoopback,
    Duration timeout) {

  /** The retrieval protocol. */
  public enum Protocol {
    IMAP, POP3;

    public static Protocol parse(String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "imap" -> IMAP;
        case "pop3", "pop" -> POP3;
        default -> throw new health.direct.core.DirectException(health.direct.core.Problem.CONFIG,
            "'" + s + "': use imap or pop3");
      };
    }

    public int defaultPort(FetchTls tls) {
      return switch (this) {
        case IMAP -> tls == FetchTls.IMPLICIT ? 993 : 143;
        case POP3 -> tls == FetchTls.IMPLICIT ? 995 : 110;
      };
    }
  }
}
