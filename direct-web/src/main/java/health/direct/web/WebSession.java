package health.direct.web;

import health.direct.app.DirectSession;
import health.direct.core.mailbox.Mailbox;
import java.time.Instant;

/**
 * One signed-in browser: its session id (the cookie), the token every form that changes anything
 * must carry back (CSRF), the home's session and mailbox, and when it was last used.
 */
final class WebSession implements AutoCloseable {
  final String id;
  final String csrf;
  final DirectSession session;
  final Mailbox mailbox;
  private volatile Instant lastSeen;

  WebSession(String id, String csrf, DirectSession session, Mailbox mailbox, Instant now) {
    this.id = id;
    this.csrf = csrf;
    this.session = session;
    this.mailbox = mailbox;
    this.lastSeen = now;
  }

  Instant lastSeen() {
    return lastSeen;
  }

  void seen(Instant now) {
    lastSeen = now;
  }

  @Override
  public void close() {
    mailbox.close();
    session.close();
  }
}
