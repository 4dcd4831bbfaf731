package health.direct.core.compose;

import health.direct.core.address.MessageId;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.receipts.NotificationRequest;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/**
 * Builds an RFC 5322 message from a {@link Draft}: From, To, Cc, Subject, Date from the clock, a
 * unique Message-ID in the sender's domain (DN-02), a text/plain body, and each attachment as a
 * base64 part named after its file.
 *
 * <pre>{@code
 * String messageId = new MessageComposer(clock).compose(draft, out);
 * }</pre>
 */
public final class MessageComposer {
  private final Clock clock;
  private final boolean timelyAndReliable;

  /** A composer whose messages ask for timely-and-reliable delivery notifications (DN-01). */
  public MessageComposer(Clock clock) {
    this(clock, true);
  }

  /**
   * @param timelyAndReliable ask for a dispatched notification too (DN-01); a processed one is
   *     always asked for
   */
  public MessageComposer(Clock clock, boolean timelyAndReliable) {
    this.clock = clock;
    this.timelyAndReliable = timelyAndReliable;
  }

  /** Writes the message to {@code out} and returns its Message-ID (with angle brackets). */
  public String compose(Draft d, OutputStream out) {
    try {
      String messageId = MessageId.generate(d.from().domain()).toString();
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
        @Override
        protected void updateMessageID() throws MessagingException {
          setHeader("Message-ID", messageId);
        }
      };
      m.setFrom(address(d.from()));
      for (DirectAddress a : d.to()) {
        m.addRecipient(Message.RecipientType.TO, address(a));
      }
      for (DirectAddress a : d.cc()) {
        m.addRecipient(Message.RecipientType.CC, address(a));
      }
      m.setSubject(d.subject(), "UTF-8");
      m.setHeader("Disposition-Notification-To", d.from().toString());
      if (timelyAndReliable) {
        m.setHeader(NotificationRequest.OPTIONS_HEADER, NotificationRequest.TIMELY_AND_RELIABLE);
      }
      m.setSentDate(Date.from(clock.instant()));
      if (d.inReplyTo().isPresent()) {
        m.setHeader("In-Reply-To", d.inReplyTo().get());
      }
      if (!d.references().isEmpty()) {
        m.setHeader("References", MimeUtility.fold(12, String.join(" ", d.references())));
      }
      if (d.attachments().isEmpty() && d.forwarded().isEmpty()) {
        m.setText(d.body(), "UTF-8");
      } else {
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(d.body(), "UTF-8");
        mixed.addBodyPart(text);
        for (Path file : d.attachments()) {
          mixed.addBodyPart(attachment(file));
        }
        if (d.forwarded().isPresent()) {
          mixed.addBodyPart(forwarded(d.forwarded().get()));
        }
        m.setContent(mixed);
      }
      m.saveChanges();
      m.writeTo(out);
      return messageId;
    } catch (MessagingException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "cannot build the message: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot write the message: " + e.getMessage(), e);
    }
  }

  private static MimeBodyPart attachment(Path file) throws MessagingException, IOException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new DirectException(Problem.IO, "cannot attach " + file + ": not a readable file");
    }
    String type = Files.probeContentType(file);
    if (type == null) {
      String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      type = name.endsWith(".xml") ? "application/xml" : name.endsWith(".pdf") ? "application/pdf"
          : name.endsWith(".txt") ? "text/plain" : "application/octet-stream";
    }
    MimeBodyPart p = new MimeBodyPart();
    String contentType = type;
    p.setDataHandler(new DataHandler(new FileDataSource(file.toFile()) {
      @Override
      public String getContentType() {
        return contentType;
      }
    }));
    p.setFileName(MimeUtility.encodeText(file.getFileName().toString(), "UTF-8", null));
    p.setDisposition(MimeBodyPart.ATTACHMENT);
    p.setHeader("Content-Transfer-Encoding", "base64");
    return p;
  }

  /** The forwarded message whole, as it was stored, so its own headers and attachments travel with it. */
  private static MimeBodyPart forwarded(Path message) throws MessagingException, IOException {
    MimeBodyPart p = new MimeBodyPart();
    try (java.io.InputStream in = Files.newInputStream(message)) {
      p.setContent(new MimeMessage(Session.getInstance(new Properties()), in), "message/rfc822");
    }
    p.setDisposition(MimeBodyPart.INLINE);
    p.setDescription("forwarded message");
    return p;
  }

  private static InternetAddress address(DirectAddress a) {
    try {
      return new InternetAddress(a.toString(), true);
    } catch (jakarta.mail.internet.AddressException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "bad address " + a + ": " + e.getMessage(), e);
    }
  }
}
