package health.direct.core.notifications;

import health.direct.core.address.MessageId;
import health.direct.core.policy.UnsecuredMailPolicy;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.receipts.NotificationParser;
import health.direct.core.receipts.NotificationRequest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The seed's courtesy for risk 8: tells the sender of an unsecured message, without any detail of
 * it, that it was received and not read. Never for automatic mail (Auto-Submitted other than
 * {@code no}), notifications, a null or MAILER-DAEMON sender, or mailing lists (List-Id,
 * Precedence bulk/list/junk); at most once per sender per interval; the notice itself is marked
 * {@code Auto-Submitted: auto-replied} so that well-behaved software does not answer it.
 *
 * <pre>{@code
 * new CourtesyNotices(mailbox, policy, clock, work, send).maybeNotify(raw, bob);
 * }</pre>
 */
public final class CourtesyNotices {
  private final Mailbox mailbox;
  private final UnsecuredMailPolicy policy;
  private final Clock clock;
  private final Path work;
  private final Consumer<Path> send;

  /** @param send queues the notice (sealed when the sender can be secured, else as it is: it holds no data) */
  public CourtesyNotices(Mailbox mailbox, UnsecuredMailPolicy policy, Clock clock, Path work, Consumer<Path> send) {
    this.mailbox = mailbox;
    this.policy = policy;
    this.clock = clock;
    this.work = work;
    this.send = send;
  }

  /** Why no notice goes out for this message, or empty when one may. */
  public Optional<String> refusal(InternetHeaders h) {
    if (!policy.courtesyNotice()) {
      return Optional.of("courtesy notices are off (unsecured.courtesy-notice)");
    }
    if (NotificationRequest.of(h).autoSubmitted()) {
      return Optional.of("the message was sent automatically (Auto-Submitted)");
    }
    if (NotificationParser.isReport(h)) {
      return Optional.of("the message is a delivery notification");
    }
    String returnPath = h.getHeader("Return-Path", ",");
    if (returnPath != null && returnPath.replaceAll("\\s", "").equals("<>")) {
      return Optional.of("the message has a null sender");
    }
    Optional<DirectAddress> from = Notifications.parse(h.getHeader("From", ","));
    if (from.isEmpty()) {
      return Optional.of("the message has no usable sender");
    }
    String local = from.get().localPart().toLowerCase(Locale.ROOT);
    if (local.equals("mailer-daemon") || local.equals("postmaster")) {
      return Optional.of("the sender is a mail system");
    }
    String precedence = Optional.ofNullable(h.getHeader("Precedence", ",")).orElse("").trim().toLowerCase(Locale.ROOT);
    if (h.getHeader("List-Id") != null || precedence.equals("bulk") || precedence.equals("list")
        || precedence.equals("junk")) {
      return Optional.of("the message came from a mailing list");
    }
    return Optional.empty();
  }

  /** Sends the notice for {@code raw} to its sender when allowed; returns what happened, for the log. */
  public String maybeNotify(Path raw, DirectAddress self) {
    InternetHeaders h;
    try (InputStream in = Files.newInputStream(raw)) {
      h = new InternetHeaders(in);
    } catch (IOException | MessagingException e) {
      return "no courtesy notice: the headers cannot be read";
    }
    Optional<String> refusal = refusal(h);
    if (refusal.isPresent()) {
      return "no courtesy notice: " + refusal.get();
    }
    DirectAddress sender = Notifications.parse(h.getHeader("From", ",")).orElseThrow();
    if (!mailbox.claimCourtesyNotice(sender.canonical(), policy.noticeInterval())) {
      return "no courtesy notice: " + sender + " had one less than " + policy.noticeInterval().toHours() + " h ago";
    }
    Path notice = SecureFiles.privateTempFile(work, "courtesy");
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
        @Override
        protected void updateMessageID() throws MessagingException {
          setHeader("Message-ID", MessageId.generate(self.domain()).toString());
        }
      };
      m.setFrom(new InternetAddress(self.toString()));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(sender.toString()));
      m.setSubject("Your message was not read: it was not sent securely");
      m.setSentDate(Date.from(clock.instant()));
      m.setHeader("Auto-Submitted", "auto-replied");
      m.setText("A message you sent to " + self + " arrived without Direct (S/MIME) protection. It was not read.\r\n"
          + "Please send it again through a secure Direct channel.\r\n"
          + "This notice is sent automatically, at most once a day; it says nothing about the message.\r\n", "UTF-8");
      m.saveChanges();
      try (OutputStream out = Files.newOutputStream(notice)) {
        m.writeTo(out);
      }
      send.accept(notice);
      return "courtesy notice queued for " + sender;
    } catch (MessagingException | IOException e) {
      throw new DirectException(Problem.IO, "cannot write the courtesy notice: " + e.getMessage(), e);
    } finally {
      SecureFiles.deleteQuietly(notice);
    }
  }
}
