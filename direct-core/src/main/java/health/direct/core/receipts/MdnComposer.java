package health.direct.core.receipts;

import health.direct.core.address.MessageId;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/**
 * Writes a Message Disposition Notification (RFC 8098; DN-03, DN-04, DN-06): a
 * multipart/report with a short human part and the machine part (Reporting-UA, Final-Recipient,
 * Original-Message-ID, Disposition and, for a dispatched MDN that was asked for, the
 * X-DIRECT-FINAL-DESTINATION-DELIVERY extension field). It carries Auto-Submitted: auto-replied
 * and never asks for notifications itself.
 *
 * <pre>{@code
 * new MdnComposer(clock, "direct-client").compose(Disposition.PROCESSED, bob, alice, "<id@h>", false, null, out);
 * }</pre>
 */
public final class MdnComposer {
  private final Clock clock;
  private final String reportingUa;

  public MdnComposer(Clock clock, String reportingUa) {
    this.clock = clock;
    this.reportingUa = reportingUa;
  }

  /** Writes the MDN from {@code recipient} (who got the message) to {@code originalSender}; returns its Message-ID. */
  public String compose(Disposition disposition, DirectAddress recipient, DirectAddress originalSender,
      String originalMessageId, boolean finalDestinationDelivery, String failure, OutputStream out) {
    try {
      String id = MessageId.generate(recipient.domain()).toString();
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
        @Override
        protected void updateMessageID() throws MessagingException {
          setHeader("Message-ID", id);
        }
      };
      m.setFrom(new InternetAddress(recipient.toString()));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(originalSender.toString()));
      m.setSubject(switch (disposition) {
        case PROCESSED -> "Processed: your message was received";
        case DISPATCHED -> "Dispatched: your message reached the recipient";
        case FAILED -> "Failed: your message could not be delivered";
        default -> "Message disposition: " + disposition.label();
      });
      m.setSentDate(Date.from(clock.instant()));
      m.setHeader("Auto-Submitted", "auto-replied");
      m.setHeader("In-Reply-To", originalMessageId);
      m.setHeader("References", originalMessageId);

      MimeMultipart report = new MimeMultipart("report; report-type=disposition-notification");
      MimeBodyPart human = new MimeBodyPart();
      human.setText("The message " + originalMessageId + " sent to " + recipient + " was "
          + disposition.label() + " by the recipient's Direct client."
          + (failure == null ? "" : "\r\nReason: " + failure) + "\r\n", "UTF-8");
      report.addBodyPart(human);
      StringBuilder fields = new StringBuilder()
          .append("Reporting-UA: ").append(recipient.domain()).append("; ").append(reportingUa).append("\r\n")
          .append("Final-Recipient: rfc822; ").append(recipient).append("\r\n")
          .append("Original-Message-ID: ").append(originalMessageId).append("\r\n")
          .append("Disposition: automatic-action/MDN-sent-automatically; ").append(disposition.label())
          .append(disposition == Disposition.FAILED ? "/error" : "").append("\r\n");
      if (disposition == Disposition.DISPATCHED && finalDestinationDelivery) {
        fields.append("X-DIRECT-FINAL-DESTINATION-DELIVERY: \r\n");
      }
      if (failure != null) {
        fields.append("Failure: ").append(failure.replaceAll("[\\r\\n]+", " ")).append("\r\n");
      }
      jakarta.mail.internet.InternetHeaders ih = new jakarta.mail.internet.InternetHeaders();
      ih.setHeader("Content-Type", "message/disposition-notification");
      ih.setHeader("Content-Transfer-Encoding", "7bit");
      MimeBodyPart machine = new MimeBodyPart(ih, fields.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      report.addBodyPart(machine);
      m.setContent(report);
      m.saveChanges();
      m.writeTo(out);
      return id;
    } catch (MessagingException e) {
      throw new DirectException(Problem.INTERNAL, "cannot build the notification: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot write the notification: " + e.getMessage(), e);
    }
  }
}
