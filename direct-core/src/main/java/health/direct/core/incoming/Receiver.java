package health.direct.core.incoming;

import jakarta.mail.internet.InternetHeaders;
import health.direct.core.policy.UnsecuredMailPolicy;
import health.direct.core.notifications.Notifications;
import health.direct.core.notifications.CourtesyNotices;

import health.direct.core.address.DirectAddress;
import health.direct.core.store.StoreException;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.MessageSink;
import health.direct.core.mailbox.MessageSummary;
import health.direct.core.mailbox.StoredMessage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Arc 5's last step (risk 6): every fetched message is opened; a trusted one goes to the inbox
 * (decrypted, with the message as it arrived kept beside it), anything else (unsecured, untrusted,
 * undecryptable, malformed) to the quarantine with the reason, never dropped and never shown as
 * trusted. A second copy of a message already in the inbox (same Message-ID, same decrypted
 * bytes) is answered again but not stored twice: a sender that lost the server's final reply sends
 * the same message again (RFC 1047), and the user should see it once.
 *
 * <pre>{@code
 * Receiver r = new Receiver(incoming, mailbox, home.work());
 * StoredMessage m = r.accept("imap:bob@mail.clinic.example/INBOX;UIDVALIDITY=1/;UID=7", raw);
 * }</pre>
 */
public final class Receiver implements MessageSink {
  private final IncomingProcessor incoming;
  private final Mailbox mailbox;
  private final Path work;
  private final Optional<Notifications> notifications;
  private final Optional<DirectAddress> self;
  private UnsecuredMailPolicy unsecured = UnsecuredMailPolicy.defaults();
  private Optional<CourtesyNotices> courtesy = Optional.empty();
  private java.util.function.Consumer<String> log = line -> { };

  /** A receiver that neither sends nor records delivery notifications. */
  public Receiver(IncomingProcessor incoming, Mailbox mailbox, Path work) {
    this(incoming, mailbox, work, Optional.empty(), Optional.empty());
  }

  /**
   * @param notifications answers trusted messages and records notifications about ours
   * @param self the local address messages are delivered to, named in our notifications
   */
  public Receiver(IncomingProcessor incoming, Mailbox mailbox, Path work, Optional<Notifications> notifications,
      Optional<DirectAddress> self) {
    this.incoming = incoming;
    this.mailbox = mailbox;
    this.work = work;
    this.notifications = notifications;
    this.self = self;
  }

  /**
   * What to do with unsecured mail (risk 8): discard or keep, and whether to tell the sender.
   *
   * @param log told what happened, without any content
   */
  public Receiver unsecuredMail(UnsecuredMailPolicy policy, Optional<CourtesyNotices> notices,
      java.util.function.Consumer<String> log) {
    this.unsecured = policy;
    this.courtesy = notices;
    this.log = log;
    return this;
  }

  /** The configured local address, else the first To of the message. */
  private DirectAddress localAddress(MessageSummary s) {
    if (self.isPresent()) {
      return self.get();
    }
    return Notifications.parse(s.to()).orElseThrow(() -> new health.direct.core.DirectException(
        health.direct.core.Problem.MALFORMED_INPUT, "the message has no usable To address"));
  }



  private static final String ANSWER = "answer";
  private static final String RECORD_TRUSTED = "record-trusted:";
  private static final String RECORD_UNTRUSTED = "record-untrusted";

  /**
   * Does what a stopped process left undone for messages it had already stored: answers a trusted
   * message with its notifications, records a notification that arrived. Such a message is not
   * fetched again (it is stored), so without this its sender would never hear that it arrived. A
   * process killed in the instant between queueing an answer and noting it may answer twice; a
   * message is never left unanswered. Returns how many were finished.
   */
  public int settleOwed() {
    if (notifications.isEmpty()) {
      return 0;
    }
    Notifications n = notifications.get();
    int done = 0;
    for (Mailbox.Owed o : mailbox.owed()) {
      StoredMessage m = o.message();
      try {
        if (o.what().equals(ANSWER)) {
          HeaderSummary.headers(m.file()).ifPresent(h -> n.delivered(h, localAddress(m.summary())));
        } else if (o.what().startsWith(RECORD_TRUSTED)) {
          String signer = o.what().substring(RECORD_TRUSTED.length());
          n.record(m.file(), true, signer.isEmpty() ? Optional.empty() : Optional.of(signer));
        } else if (o.what().equals(RECORD_UNTRUSTED)) {
          n.record(m.file(), false, Optional.empty());
        }
      } catch (health.direct.core.DirectException e) {
        log.accept("what was left undone for " + m.folder().dirName() + " message " + m.number()
            + " cannot be done: " + e.getMessage());
      }
      mailbox.settle(m.id());
      done++;
    }
    if (done > 0) {
      log.accept("finished " + done + " message(s) a stopped process had stored but not yet answered or recorded");
    }
    return done;
  }

  @Override
  public boolean contains(String source) {
    return mailbox.contains(source);
  }

  /** A stored message and everything the opening found out about it. */
  public record Received(StoredMessage stored, OpenResult result) {}

  @Override
  public StoredMessage accept(String source, Path raw) {
    return receive(source, raw).stored();
  }

  /**
   * Opens {@code raw} and stores it in the inbox or the quarantine; durable when this returns.
   * The message's headers are read once, as the opening found them, and handed to each step.
   */
  public Received receive(String source, Path raw) {
    Path opened = SecureFiles.privateTempFile(work, "opened");
    try {
      InternetHeaders[] plainHeaders = new InternetHeaders[1];
      OpenResult r = incoming.open(raw, m -> {
        SecureFiles.writeAtomically(opened, m::writePlainMessage);
        plainHeaders[0] = m.messageHeaders();
      });
      if (r instanceof OpenResult.Trusted t) {
        InternetHeaders h = plainHeaders[0];
        Optional<String> signer = t.signature().signer().address();
        String detail = "signed by " + t.signature().signer().shown() + ", anchor " + t.anchor().subject();
        MessageSummary summary = HeaderSummary.of(h, r.verdict().label(), detail);
        if (notifications.isPresent() && notifications.get().isNotification(h)) {
          Optional<StoredMessage> first = earlierCopy(Folder.RECEIPTS, summary, opened);
          if (first.isPresent()) {
            // sent again by a sender that never learnt our server took the first: recorded once is enough
            mailbox.recordDuplicate(source, first.get().id());
            return new Received(asDuplicate(first.get(), source, summary), r);
          }
          StoredMessage m = mailbox.storeTaking(Folder.RECEIPTS, source, opened, Optional.of(raw), summary,
              RECORD_TRUSTED + signer.orElse(""));
          notifications.get().record(m.file(), true, signer);
          mailbox.settle(m.id());
          return new Received(m, r);
        }
        StoredMessage m;
        try {
          Optional<StoredMessage> first = earlierCopy(Folder.INBOX, summary, opened);
          if (first.isPresent()) {
            mailbox.recordDuplicate(source, first.get().id());
            m = asDuplicate(first.get(), source, summary);
            log.accept("a second copy of inbox message " + first.get().number() + " arrived; not stored again");
          } else {
            m = notifications.isPresent()
                ? mailbox.storeTaking(Folder.INBOX, source, opened, Optional.of(raw), summary, ANSWER)
                : mailbox.storeTaking(Folder.INBOX, source, opened, Optional.of(raw), summary);
          }
        } catch (StoreException e) {
          notifications.ifPresent(n -> n.undeliverable(h, localAddress(summary), e.getMessage()));
          throw e;
        }
        // a second copy is answered again: the first answer may be what the sender never received
        notifications.ifPresent(n -> n.delivered(h, localAddress(summary)));
        if (m.id() > 0) {
          mailbox.settle(m.id());
        }
        return new Received(m, r);
      }
      InternetHeaders h = HeaderSummary.headers(raw).orElseGet(InternetHeaders::new);
      MessageSummary summary = HeaderSummary.of(h, r.verdict().label(), r.reason());
      if (notifications.isPresent() && notifications.get().isNotification(h)) {
        StoredMessage m = mailbox.store(Folder.RECEIPTS, source, raw, Optional.empty(), summary, RECORD_UNTRUSTED);
        notifications.get().record(raw, false, Optional.empty());
        mailbox.settle(m.id());
        return new Received(m, r);
      }
      if (r.verdict() == Verdict.UNSECURED) {
        courtesy.ifPresent(c -> log.accept(c.maybeNotify(raw, localAddress(summary))));
        if (unsecured.discard()) {
          mailbox.discard(source, summary.from(), r.reason());
          log.accept("discarded an unsecured message (unsecured.action = discard)");
          return new Received(new StoredMessage(-1, Folder.QUARANTINE, -1, raw, Optional.empty(), source,
              new MessageSummary(summary.messageId(), summary.from(), summary.to(), summary.subject(), summary.date(),
                  "discarded", r.reason()), java.time.Instant.now(), 0), r);
        }
      }
      return new Received(mailbox.store(Folder.QUARANTINE, source, raw, Optional.empty(), summary), r);
    } finally {
      SecureFiles.deleteQuietly(opened);
    }
  }

  private static StoredMessage asDuplicate(StoredMessage first, String source, MessageSummary summary) {
    return new StoredMessage(first.id(), first.folder(), first.number(), first.file(), first.original(), source,
        new MessageSummary(summary.messageId(), summary.from(), summary.to(), summary.subject(), summary.date(),
            "duplicate", "a second copy of " + first.folder().dirName() + " message " + first.number() + ", not stored again"),
        java.time.Instant.now(), 0);
  }

  /** The message in {@code folder} with the same Message-ID and exactly the same decrypted bytes, if any. */
  private Optional<StoredMessage> earlierCopy(Folder folder, MessageSummary summary, Path opened) {
    if (summary.messageId() == null || summary.messageId().isBlank()) {
      return Optional.empty();
    }
    for (StoredMessage m : mailbox.withMessageId(folder, summary.messageId())) {
      try {
        if (java.nio.file.Files.mismatch(m.file(), opened) == -1) {
          return Optional.of(m);
        }
      } catch (java.io.IOException e) {
        // the earlier copy is gone or unreadable: keep this one
      }
    }
    return Optional.empty();
  }
}
