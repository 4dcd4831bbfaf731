package health.direct.web;

import health.direct.app.DirectSession;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed-in sessions, in memory only: a restart signs everyone out, and nothing about a
 * session is written to disk. Ids and CSRF tokens are 256 random bits; a session idle longer than
 * the timeout is ended and its home session closed.
 */
final class WebSessions implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, WebSession> sessions = new ConcurrentHashMap<>();
  private final Duration idle;
  private final Clock clock;

  WebSessions(Duration idle, Clock clock) {
    this.idle = idle;
    this.clock = clock;
  }

  static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  WebSession start(DirectSession session) {
    WebSession s = new WebSession(token(), token(), session, session.mailbox(), clock.instant());
    sessions.put(s.id, s);
    return s;
  }

  /** The live session with {@code id}, marked as used now; an expired one is ended and not returned. */
  Optional<WebSession> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    WebSession s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (Duration.between(s.lastSeen(), now).compareTo(idle) > 0) {
      end(id);
      return Optional.empty();
    }
    s.seen(now);
    return Optional.of(s);
  }

  void end(String id) {
    WebSession s = sessions.remove(id);
    if (s != null) {
      s.close();
    }
  }

  @Override
  public void close() {
    sessions.keySet().forEach(this::end);
  }
}
