package health.direct.core.notifications;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.outbox.OutboxWorker;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/**
 * Tells the sender, in their own inbox, that a message could not be delivered to a recipient for
 * good (AS-15, DN-07): which message, which recipient, the server's last answer. One notice per
 * message and recipient, however often it is reported.
 *
 * <pre>{@code
 * round.failed().forEach(f -> notices.deliveryFailed(f, alice));
 * }</pre>
 */
public final class FailureNotices {
  private final Mailbox mailbox;
  private final Path work;
  private final Clock clock;

  public FailureNotices(Mailbox mailbox, Path work, Clock clock) {
    this.mailbox = mailbox;
    this.work = work;
    this.clock = clock;
  }

  public StoredMessage deliveryFailed(OutboxWorker.Failure f, DirectAddress sender) {
    String source = "notice:" + f.outboxId() + ":" + f.recipient().canonical();
    Path file = SecureFiles.privateTempFile(work, "notice");
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
      m.setFrom(new InternetAddress("mailer-daemon@" + sender.domain(), "Direct delivery notice"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(sender.toString()));
      m.setSubject("Undeliverable: message to " + f.recipient(), "UTF-8");
      m.setSentDate(Date.from(clock.instant()));
      m.setHeader("Auto-Submitted", "auto-generated");
      m.setText("Your Direct message " + f.messageId() + " could not be delivered to " + f.recipient()
          + " and will not be retried.\r\n\r\nReason: " + f.reason() + "\r\n\r\nThe recipient did not receive it. "
          + "Send it again once the problem is solved, or reach the recipient another way.\r\n"
          + "Details: direct outbox (entry " + f.outboxId() + ").\r\n", "UTF-8");
      m.saveChanges();
      try (OutputStream out = Files.newOutputStream(file)) {
        m.writeTo(out);
      }
      return mailbox.store(Folder.INBOX, source, file, java.util.Optional.empty(),
          HeaderSummary.of(file, "notice", "delivery failed: " + f.reason()));
    } catch (MessagingException | IOException e) {
      throw new DirectException(Problem.IO, "cannot write the delivery failure notice: " + e.getMessage(), e);
    } finally {
      SecureFiles.deleteQuietly(file);
    }
  }
}
