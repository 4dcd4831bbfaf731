package health.direct.core.mailbox;

import health.direct.core.mime.MimeLimits;
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

/**
 * Reads the headers the index keeps (Message-ID, From, To, Subject, Date) from a message file. At
 * most the first {@link MimeLimits#maxHeaderBytes()} of the default limits are read: the headers
 * of mail from anyone are summarised, and a header block of gigabytes must not fill the memory.
 */
public final class HeaderSummary {
  private static final int MAX_HEADER_BYTES = MimeLimits.defaults().maxHeaderBytes();

  private HeaderSummary() {}

  /** The start of {@code in}, up to the header limit: the header block, or as much of it as is allowed. */
  private static InputStream headerBlock(InputStream in) throws IOException {
    return new java.io.ByteArrayInputStream(in.readNBytes(MAX_HEADER_BYTES));
  }

  public static MessageSummary of(Path message, String verdict, String detail) {
    try (InputStream in = Files.newInputStream(message)) {
      return of(new InternetHeaders(headerBlock(in)), verdict, detail);
    } catch (IOException | MessagingException e) {
      return new MessageSummary(null, null, null, null, Optional.empty(), verdict,
          detail + " (its headers cannot be read: " + health.direct.core.FaultWords.scrub(e.getMessage()) + ")");
    }
  }

  /** The headers of {@code message}; empty when the file cannot be read or its headers parsed. */
  public static Optional<InternetHeaders> headers(Path message) {
    try (InputStream in = Files.newInputStream(message)) {
      return Optional.of(new InternetHeaders(headerBlock(in)));
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
