package health.direct.core.outgoing;

import health.direct.core.address.MessageId;
import health.direct.core.notifications.Notifications;

import health.direct.core.dlp.DlpReport;
import health.direct.core.dlp.PhiScanner;
import health.direct.core.receipts.NotificationParser;
import health.direct.core.receipts.NotificationRequest;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.MessageSummary;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.resolve.RecipientCertificates;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Sending up to the network (arcs 1, 2 and 4's payload): seals a plain message, keeps the plain
 * copy in the sent folder (the seed's accounting of disclosures), and queues the sealed message
 * in the durable outbox for every recipient that could be secured. Delivery is the
 * {@link health.direct.core.outbox.OutboxWorker}'s job.
 *
 * <pre>{@code
 * MessageSender.Queued q = sender.queue(Path.of("referral.eml"));
 * q.dropped().forEach(d -> System.err.println(d.reason()));
 * }</pre>
 */
public final class MessageSender {
  private final OutgoingProcessor outgoing;
  private final Outbox outbox;
  private final Mailbox mailbox;

  /** What was queued, and which recipients were dropped because they cannot be secured (CD-12). */
  public record Queued(OutboxEntry entry, SealResult seal, List<RecipientCertificates.Rejected> dropped) {
    /** The recipients it was sealed for. */
    public List<DirectAddress> securedFor() {
      return seal.recipients().stream().map(RecipientCertificates.Accepted::address).toList();
    }

    /** This, as a submission that took the secured path only. */
    public Submission submission() {
      return new Submission(entry.messageId(), Optional.of(entry), securedFor(), Optional.empty(), List.of(), dropped);
    }
  }

  /**
   * The verdict of a sent copy that the client sent by itself (a notification, a notice, an
   * automatic reply), as opposed to {@code sent} and {@code sent-unsecured} for the user's mail.
   */
  public static final String AUTOMATIC = "sent-automatic";

  public MessageSender(OutgoingProcessor outgoing, Outbox outbox, Mailbox mailbox) {
    this.outgoing = outgoing;
    this.outbox = outbox;
    this.mailbox = mailbox;
  }

  /** What the unsecured path did: the plain copy queued (if any), the DLP report, who was still refused. */
  public record Unsecured(java.util.Optional<OutboxEntry> entry, DlpReport dlp,
      List<DirectAddress> sentTo, List<RecipientCertificates.Rejected> refused) {}

  /**
   * The off-by-default policy of risk 1: recipients that publish no certificate anywhere (so are
   * not Direct addresses) get the plain message only when the DLP check finds no PHI in it. Those
   * whose certificates are invalid, or whose discovery was refused, never do. The plain copy is
   * kept in the sent folder marked as sent unsecured, with the DLP result, for the audit.
   */
  public Unsecured queueUnsecured(Path plain, List<RecipientCertificates.Rejected> dropped,
      PhiScanner scanner) {
    List<RecipientCertificates.Rejected> candidates = dropped.stream()
        .filter(d -> d.why() == RecipientCertificates.Why.NOT_FOUND).toList();
    List<RecipientCertificates.Rejected> refused = new java.util.ArrayList<>(dropped.stream()
        .filter(d -> d.why() != RecipientCertificates.Why.NOT_FOUND).toList());
    DlpReport report = scanner.scan(plain);
    if (candidates.isEmpty()) {
      return new Unsecured(java.util.Optional.empty(), report, List.of(), refused);
    }
    if (!report.passed()) {
      String why = "not sent unsecured: the DLP check found PHI (" + String.join("; ", report.findings().stream()
          .map(Object::toString).toList()) + ")";
      candidates.forEach(c -> refused.add(new RecipientCertificates.Rejected(c.address(), why,
          RecipientCertificates.Why.NOT_FOUND)));
      return new Unsecured(java.util.Optional.empty(), report, List.of(), refused);
    }
    List<DirectAddress> to = candidates.stream().map(RecipientCertificates.Rejected::address).toList();
    MessageSummary s = HeaderSummary.of(plain, "", "");
    DirectAddress from = DirectAddress.parse(Notifications.parseAddress(s.from()));
    String messageId = s.messageId() != null ? s.messageId() : MessageId.generate(from.domain()).toString();
    String detail = "sent WITHOUT S/MIME to " + String.join(", ", to.stream().map(DirectAddress::toString).toList())
        + " (no certificate published; DLP check passed: score " + report.score() + " under " + report.threshold() + ")";
    mailbox.store(Folder.SENT, "sent-unsecured:" + messageId, plain, Optional.empty(), new MessageSummary(messageId,
        s.from(), s.to(), s.subject(), s.date(), "sent-unsecured", detail));
    OutboxEntry entry = outbox.enqueue(plain, messageId, from, to, OutboxEntry.Expectation.NONE);
    return new Unsecured(java.util.Optional.of(entry), report, to, refused);
  }

  /** Which notifications to wait for: none for a notification itself, dispatched when asked (DN-01). */
  static OutboxEntry.Expectation expectation(jakarta.mail.internet.InternetHeaders h) {
    if (NotificationParser.isReport(h) || NotificationRequest.of(h).autoSubmitted()) {
      return OutboxEntry.Expectation.NONE;
    }
    return NotificationRequest.of(h).timelyAndReliable()
        ? OutboxEntry.Expectation.DISPATCHED : OutboxEntry.Expectation.PROCESSED;
  }

  /**
   * Seals {@code plain} straight into a new outbox entry (written once), keeps the plain sent copy
   * with the sealed one beside it (linked to the entry's file, not copied), then queues the entry.
   */
  public Queued queue(Path plain) {
    try (Outbox.Staged staged = outbox.stage()) {
      SealResult r;
      try (OutputStream out = Files.newOutputStream(staged.message())) {
        r = outgoing.seal(plain, out);
      } catch (java.io.IOException e) {
        throw new DirectException(Problem.IO, "cannot write the sealed message: " + e.getMessage(), e);
      }
      List<DirectAddress> to = r.recipients().stream().map(RecipientCertificates.Accepted::address).toList();
      OutboxEntry.Expectation expectation = r.expectation();
      // what the client sends by itself (MDNs, notices) is kept for the audit, apart from the user's own mail
      String kind = expectation == OutboxEntry.Expectation.NONE ? AUTOMATIC : "sent";
      String detail = "secured for " + String.join(", ", to.stream().map(DirectAddress::toString).toList())
          + (r.dropped().isEmpty() ? ""
              : "; not sent to " + String.join(", ", r.dropped().stream().map(d -> d.address().toString()).toList()));
      // the sent copy first: a disclosure is accounted for even if the process dies right after queueing
      MessageSummary h = r.headers();
      MessageSummary summary = new MessageSummary(r.messageId(), h.from(), h.to(), h.subject(), h.date(), kind, detail);
      mailbox.store(Folder.SENT, "sent:" + r.messageId(), plain, Optional.of(staged.message()), summary);
      OutboxEntry entry = staged.commit(r.messageId(), r.sender(), to, expectation);
      return new Queued(entry, r, r.dropped());
    }
  }
}
