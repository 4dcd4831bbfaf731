package health.direct.core.mailbox;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.Optional;

/** Reads the headers the index keeps (Message-ID, From, To, Subject, Date) from a message file. */
public final class HeaderSummary {
  private HeaderSummary() {}

  public static MessageSummary of(Path message, String verdict, String detail) {
    try (InputStream in = Files.newInputStream(message)) {
      return of(new InternetHeaders(in), verdict, detail);
    } catch (IOException | MessagingException e) {
      return new MessageSummary(null, null, null, null, Optional.empty(), verdict,
          detail + " (its headers cannot be read: " + e.getMessage() + ")");
    }
  }

  /** The headers of {@code message}; empty when the file cannot be read or its headers parsed. */
  public static Optional<InternetHeaders> headers(Path message) {
    try (InputStream in = Files.newInputStream(message)) {
      return Optional.of(new InternetHeaders(in));
    } catch (IOException | MessagingException e) {
      return Optional.empty();
    }
  }

  /** The same from headers already parsed (so a message is not read again for its summary). */
  public static MessageSummary of(InternetHeaders h, String verdict, String detail) {
    return new MessageSummary(first(h, "Message-ID"), decoded(first(h, "From")), decoded(first(h, "To")),
        decoded(first(h, "Subject")), date(first(h, "Date")), verdict, detail);
  }

  private static String first(InternetHeaders h, String name) {
    String v = h.getHeader(name, ", ");
    return v == null ? null : v.replaceAll("\\r?\\n[ \\t]*", " ").trim();
  }

  private static String decoded(String v) {
    if (v == null) {
      return null;
    }
    try {
      return MimeUtility.decodeText(v);
    } catch (java.io.UnsupportedEncodingException e) {
      return v;
    }
  }

  private static Optional<Instant> date(String v) {
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new MailDateFormat().parse(v).toInstant());
    } catch (ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
