package health.direct.core.notifications;

import health.direct.core.DirectException;
import health.direct.core.address.DirectAddress;
import health.direct.core.io.SecureFiles;
import health.direct.core.outbox.Outbox;
import health.direct.core.receipts.Disposition;
import health.direct.core.receipts.MdnComposer;
import health.direct.core.receipts.Notification;
import health.direct.core.receipts.NotificationParser;
import health.direct.core.receipts.NotificationRequest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Delivery notifications on both sides (AS-08, AS-09, DN-01..DN-12). For a received message: a
 * notification (MDN or DSN) updates the outbox's tracking of our own message, and is never
 * answered (DN-10); a trusted message is answered with a processed MDN and, when timely-and-reliable
 * delivery was asked for, a dispatched MDN once it is in the inbox (DN-03, DN-04); nothing answers
 * a message that failed security or trust (AS-09) or that was sent automatically (DN-11). MDNs are
 * sealed and queued like any message, to the original sender.
 *
 * <pre>{@code
 * Notifications n = new Notifications(outbox, plain -> sender.queue(plain), clock, "direct", work, log::add);
 * }</pre>
 */
public final class Notifications {
  private final Outbox outbox;
  private final Consumer<Path> queue;
  private final MdnComposer composer;
  private final Path work;
  private final Consumer<String> log;

  /**
   * @param queue seals and queues a plain message (an MDN) for delivery
   * @param log told what was sent or recorded, for the user (never message contents)
   */
  public Notifications(Outbox outbox, Consumer<Path> queue, java.time.Clock clock, String reportingUa, Path work,
      Consumer<String> log) {
    this.outbox = outbox;
    this.queue = queue;
    this.composer = new MdnComposer(clock, reportingUa);
    this.work = work;
    this.log = log;
  }

  /** True when {@code message} is a notification (whatever it says): it must go to the receipts, unanswered. */
  public boolean isNotification(Path message) {
    return health.direct.core.mailbox.HeaderSummary.headers(message).map(NotificationParser::isReport).orElse(false);
  }

  /** As {@link #isNotification(Path)}, from headers already read. */
  public boolean isNotification(InternetHeaders headers) {
    return NotificationParser.isReport(headers);
  }

  /**
   * Records a received notification against our outbox. Only a trusted MDN signed by the final
   * recipient, or a DSN failure from a mail server, moves a recipient's state (DN-09, DN-12).
   */
  public void record(Path message, boolean trusted, Optional<String> signer) {
    Optional<Notification> n = NotificationParser.parse(message);
    if (n.isEmpty()) {
      log.accept("an unreadable delivery notification was kept in the receipts folder");
      return;
    }
    if (n.get() instanceof Notification.Mdn mdn) {
      DirectAddress recipient = parse(mdn.finalRecipient()).or(() -> signer.flatMap(Notifications::parse))
          .orElse(null);
      if (recipient == null) {
        return;
      }
      boolean proof = trusted && signer.flatMap(Notifications::parse).map(recipient::sameMailbox).orElse(false);
      String what = mdn.disposition().label() + " MDN from " + recipient + (proof ? " (signed, trusted)" : "");
      if (outbox.recordNotification(mdn.originalMessageId(), recipient, what, Optional.of(mdn.disposition()), proof)) {
        log.accept(what + " for " + mdn.originalMessageId());
      }
    } else {
      Notification.Dsn dsn = (Notification.Dsn) n.get();
      for (Notification.DsnRecipient r : dsn.recipients()) {
        Optional<DirectAddress> a = parse(r.address());
        if (r.failed() && a.isPresent()) {
          String what = "mail server report (DSN): failed " + r.status() + r.diagnostic().map(d -> ", " + d).orElse("");
          if (outbox.recordNotification(dsn.originalMessageId(), a.get(), what, Optional.of(Disposition.FAILED), true)) {
            log.accept("delivery to " + a.get() + " failed after the mail server took it: " + r.status());
          }
        }
      }
    }
  }

  /**
   * Answers a trusted message that is now in the inbox: processed, and dispatched when asked for
   * (DN-03, DN-04, DN-05, DN-11). {@code self} is the local address it was delivered to.
   */
  public void delivered(Path plain, DirectAddress self) {
    health.direct.core.mailbox.HeaderSummary.headers(plain).ifPresent(h -> delivered(h, self));
  }

  /** As {@link #delivered(Path, DirectAddress)}, from the message's headers already read. */
  public void delivered(InternetHeaders plainHeaders, DirectAddress self) {
    answer(Optional.of(plainHeaders), self, List.of(Disposition.PROCESSED), null);
  }

  /** Answers a trusted message that could not be put in the user's inbox: failed (DN-06). */
  public void undeliverable(Path plain, DirectAddress self, String why) {
    health.direct.core.mailbox.HeaderSummary.headers(plain).ifPresent(h -> undeliverable(h, self, why));
  }

  /** As {@link #undeliverable(Path, DirectAddress, String)}, from the message's headers already read. */
  public void undeliverable(InternetHeaders plainHeaders, DirectAddress self, String why) {
    answer(Optional.of(plainHeaders), self, List.of(Disposition.FAILED), why);
  }

  private void answer(Optional<InternetHeaders> h, DirectAddress self, List<Disposition> base, String failure) {
    if (h.isEmpty()) {
      return;
    }
    NotificationRequest req = NotificationRequest.of(h.get());
    if (req.autoSubmitted() || NotificationParser.isReport(h.get())) {
      return;
    }
    Optional<DirectAddress> sender = parse(first(h.get(), "From"));
    String messageId = first(h.get(), "Message-ID");
    if (sender.isEmpty() || messageId == null) {
      log.accept("no notification sent: the message has no usable From or Message-ID");
      return;
    }
    List<Disposition> send = new ArrayList<>(base);
    if (failure == null && req.timelyAndReliable()) {
      send.add(Disposition.DISPATCHED);
    }
    for (Disposition d : send) {
      Path mdn = SecureFiles.privateTempFile(work, "mdn");
      try {
        try (OutputStream out = Files.newOutputStream(mdn)) {
          composer.compose(d, self, sender.get(), messageId.trim(), req.timelyAndReliable(), failure, out);
        }
        queue.accept(mdn);
        log.accept(d.label() + " notification queued for " + sender.get());
      } catch (IOException | DirectException e) {
        log.accept("the " + d.label() + " notification to " + sender.get() + " could not be sent: " + e.getMessage());
      } finally {
        SecureFiles.deleteQuietly(mdn);
      }
    }
  }

  private static String first(InternetHeaders h, String name) {
    return h.getHeader(name, ",");
  }

  /** The bare address in a header value such as {@code "Bob" <bob@clinic.example>}. */
  public static String parseAddress(String text) {
    return parse(text).map(DirectAddress::toString).orElseThrow(() -> new DirectException(
        health.direct.core.Problem.MALFORMED_INPUT, "no usable address in '" + text + "'"));
  }

  /** The first address in a header value, if it is a usable Direct address. */
  public static Optional<DirectAddress> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      InternetAddress[] a = InternetAddress.parseHeader(text, false);
      return a.length == 0 ? Optional.empty() : Optional.of(DirectAddress.parse(a[0].getAddress()
          .toLowerCase(Locale.ROOT)));
    } catch (MessagingException | DirectException e) {
      return Optional.empty();
    }
  }
}
