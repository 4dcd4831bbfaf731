package health.direct.core.receipts;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Recognises MDNs (RFC 8098) and DSNs (RFC 3464) among received messages and reads them
 * leniently: field names in any case, extra spaces, folded lines (DN-09). A message that is
 * not a notification, or one too broken to read, gives empty.
 *
 * <pre>{@code
 * Optional<Notification> n = NotificationParser.parse(Path.of("opened.eml"));
 * }</pre>
 */
public final class NotificationParser {
  private NotificationParser() {}

  public static Optional<Notification> parse(Path message) {
    try (InputStream in = Files.newInputStream(message)) {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
      return parse(m);
    } catch (IOException | MessagingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** True when the message is a notification (MDN or DSN), whether or not it can be read. */
  public static boolean isReport(InternetHeaders h) {
    String ct = h.getHeader("Content-Type", ";");
    return ct != null && ct.toLowerCase(Locale.ROOT).replaceAll("\\s+", "").startsWith("multipart/report");
  }

  private static Optional<Notification> parse(MimeMessage m) throws MessagingException, IOException {
    ContentType ct = new ContentType(m.getContentType());
    if (!ct.match("multipart/report")) {
      return Optional.empty();
    }
    String reportType = Optional.ofNullable(ct.getParameter("report-type")).orElse("").trim().toLowerCase(Locale.ROOT);
    Multipart mp = (Multipart) m.getContent();
    BodyPart report = null;
    Optional<String> returnedId = Optional.empty();
    for (int i = 0; i < mp.getCount(); i++) {
      BodyPart p = mp.getBodyPart(i);
      if (p.isMimeType("message/disposition-notification") || p.isMimeType("message/delivery-status")
          || p.isMimeType("message/global-delivery-status")) {
        report = p;
      } else if (p.isMimeType("message/rfc822") || p.isMimeType("text/rfc822-headers")) {
        returnedId = returnedMessageId(p);
      }
    }
    if (report == null) {
      return Optional.empty();
    }
    byte[] body = raw(report);
    if (reportType.equals("disposition-notification") || report.isMimeType("message/disposition-notification")) {
      InternetHeaders f = new InternetHeaders(new ByteArrayInputStream(body));
      Optional<Disposition> d = Disposition.fromField(field(f, "Disposition"));
      String original = field(f, "Original-Message-ID");
      String finalRecipient = address(field(f, "Final-Recipient"));
      if (d.isEmpty() || (original == null && returnedId.isEmpty())) {
        return Optional.empty();
      }
      boolean fdd = f.getHeader("X-DIRECT-FINAL-DESTINATION-DELIVERY") != null;
      return Optional.of(new Notification.Mdn(original != null ? original.trim() : returnedId.get(), finalRecipient,
          d.get(), fdd, Optional.ofNullable(field(f, "Reporting-UA"))));
    }
    // RFC 3464: per-message fields, a blank line, then one block per recipient
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    new InternetHeaders(in);
    List<Notification.DsnRecipient> recipients = new ArrayList<>();
    while (in.available() > 0) {
      InternetHeaders r = new InternetHeaders(in);
      String addr = field(r, "Final-Recipient");
      String action = field(r, "Action");
      if (addr == null || action == null) {
        continue;
      }
      recipients.add(new Notification.DsnRecipient(address(addr), action.trim(),
          Optional.ofNullable(field(r, "Status")).orElse("").trim(), Optional.ofNullable(field(r, "Diagnostic-Code"))));
    }
    if (returnedId.isEmpty() || recipients.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Notification.Dsn(returnedId.get(), recipients));
  }

  private static Optional<String> returnedMessageId(Part p) throws MessagingException, IOException {
    try (InputStream in = p.getInputStream()) {
      InternetHeaders h = new InternetHeaders(in);
      return Optional.ofNullable(field(h, "Message-ID")).map(String::trim);
    }
  }

  private static byte[] raw(Part p) throws MessagingException, IOException {
    Object c = p.getContent();
    if (c instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    try (InputStream in = p.getInputStream()) {
      return in.readAllBytes();
    }
  }

  /** The field's value with folding undone; names match in any case (InternetHeaders does that). */
  private static String field(InternetHeaders h, String name) {
    String v = h.getHeader(name, " ");
    return v == null ? null : v.replaceAll("\\r?\\n[ \\t]+", " ").trim();
  }

  /** "rfc822; bob@clinic.example" to "bob@clinic.example". */
  private static String address(String field) {
    if (field == null) {
      return "";
    }
    int semi = field.indexOf(';');
    String a = semi >= 0 ? field.substring(semi + 1) : field;
    return a.trim().replaceAll("^<|>$", "").toLowerCase(Locale.ROOT);
  }
}
