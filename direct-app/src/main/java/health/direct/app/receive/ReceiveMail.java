package health.direct.app.receive;

import health.direct.app.DirectSession;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.incoming.Receiver;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.FetchLock;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.MessageSummary;
import health.direct.core.notifications.CourtesyNotices;
import health.direct.core.notifications.Notifications;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.policy.UnsecuredMailPolicy;
import health.direct.transport.fetch.FetchReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Receiving (arcs 5 to 7): fetches new mail over IMAP or POP3, opens each message, files it in the
 * inbox (trusted), the quarantine (everything else) or the receipts (notifications) and answers
 * trusted messages with MDNs (AS-08). Unsecured mail follows risk 8's policy
 * ({@code unsecured.*}); the one exception to "nothing leaves unsealed", the courtesy notice to a
 * sender who has no certificate, is decided in {@link #queueCourtesy}.
 *
 * <pre>{@code
 * FetchReport r = session.receive(mailbox).fetch(line -> System.err.println(line));
 * }</pre>
 */
public final class ReceiveMail {
  private final DirectSession session;
  private final Mailbox mailbox;

  public ReceiveMail(DirectSession session, Mailbox mailbox) {
    this.session = session;
    this.mailbox = mailbox;
  }

  /** Fetches what is new; {@code log} hears about the notifications sent and the courtesy notices. */
  public FetchReport fetch(Consumer<String> log) {
    return fetch(log, health.direct.transport.fetch.FetchProgress.NONE);
  }

  /** As {@link #fetch(Consumer)}, telling {@code progress} how large downloads go. */
  public FetchReport fetch(Consumer<String> log, health.direct.transport.fetch.FetchProgress progress) {
    // one fetch per home: a second would download, store and answer the same messages again
    try (FetchLock lock = FetchLock.acquire(session.home().mail(), OTHER_FETCH_WAIT)) {
      Receiver receiver = receiver(log);
      // answers and records a killed fetch left undone: those messages are stored, so they are not fetched again
      receiver.settleOwed();
      return session.fetcher().fetch(session.fetchSettings(), receiver, progress);
    }
  }

  /** How long a fetch waits for another fetch of the same home to finish. */
  static final java.time.Duration OTHER_FETCH_WAIT = java.time.Duration.ofSeconds(60);

  /** The receiving side without the fetch, for messages that arrive another way (a file, a test). */
  public Receiver receiver(Consumer<String> log) {
    Optional<DirectAddress> self = session.mail().address().map(DirectAddress::parse);
    Receiver receiver = new Receiver(session.incoming(), mailbox, session.home().work(),
        Optional.of(session.notifications(mailbox, log)), self);
    UnsecuredMailPolicy policy = session.config().unsecured();
    Optional<CourtesyNotices> courtesy = policy.courtesyNotice()
        ? Optional.of(new CourtesyNotices(mailbox, policy, session.clock(), session.home().work(),
            this::queueCourtesy))
        : Optional.empty();
    return receiver.unsecuredMail(policy, courtesy, log);
  }

  /**
   * Queues a courtesy notice (risk 8): sealed when its recipient can be secured; otherwise as it
   * is, since the sender of unsecured mail usually has no certificate. This is the one message the
   * client ever sends unencrypted, it is off unless unsecured.courtesy-notice is set, and its text
   * is fixed: it carries nothing from the message it answers.
   */
  private void queueCourtesy(Path notice) {
    try {
      session.sender(mailbox).queue(notice);
    } catch (DirectException e) {
      if (e.problem() != Problem.NO_TRUSTED_RECIPIENT) {
        throw e;
      }
      MessageSummary s = HeaderSummary.of(notice, "", "");
      session.outbox().enqueue(notice, s.messageId(), DirectAddress.parse(Notifications.parseAddress(s.from())),
          List.of(DirectAddress.parse(Notifications.parseAddress(s.to()))), OutboxEntry.Expectation.NONE);
    }
  }
}
