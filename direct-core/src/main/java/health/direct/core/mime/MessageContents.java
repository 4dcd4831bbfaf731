package health.direct.core.mime;

import health.direct.core.DirectException;
import health.direct.core.FaultWords;
import health.direct.core.Problem;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedFileInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * What a stored message holds, read once for a person to see: its headers, its text, the messages
 * forwarded inside it, and its attachments (name, a file name safe to write, type and size), in
 * the order they appear. The message stays on disk (it is read through a shared file stream, not
 * copied into memory); an attachment's bytes are read only when asked for. A message beyond the
 * {@link MimeLimits} is refused with an error naming the limit, and one whose structure is broken
 * with an error that says what is wrong; either way the stored file itself is kept.
 *
 * <pre>{@code
 * try (MessageContents c = MessageContents.read(stored.file(), MimeLimits.defaults())) {
 *   c.headers().subject().ifPresent(System.out::println);
 *   for (MessageContents.Block b : c.blocks()) { ... }
 *   try (InputStream in = c.attachment(1)) { ... }
 * }
 * }</pre>
 */
public final class MessageContents implements AutoCloseable {
  /** The headers a reader is shown, decoded (RFC 2047); absent when the message has none. */
  public record Headers(Optional<String> from, Optional<String> to, Optional<String> cc, Optional<String> date,
      Optional<String> subject, Optional<String> messageId, Optional<String> inReplyTo) {}

  /** One piece of the message, in order. */
  public sealed interface Block permits Text, ForwardedStart, ForwardedEnd, Attachment {}

  /** Text meant to be read (text/plain that is not an attachment). */
  public record Text(String text) implements Block {}

  /** A message forwarded inside this one begins; its own blocks follow until {@link ForwardedEnd}. */
  public record ForwardedStart(Headers headers) implements Block {}

  /** The forwarded message that began last ends. */
  public record ForwardedEnd() implements Block {}

  /**
   * An attachment: {@code number} counts from 1 in the order of the message; {@code fileName} is
   * {@code name} reduced to letters, digits, dot, dash and underscore, never a path and never only
   * dots, so it can be written into a folder as it is. {@code body} is true for a part the sender
   * meant to be read in place (no file name, not marked as an attachment), such as an HTML body.
   */
  public record Attachment(int number, String name, String fileName, String type, long size, boolean body)
      implements Block {}

  private final SharedFileInputStream file;
  private final Headers headers;
  private final List<Block> blocks;
  private final List<Part> parts;

  private MessageContents(SharedFileInputStream file, Headers headers, List<Block> blocks, List<Part> parts) {
    this.file = file;
    this.headers = headers;
    this.blocks = Collections.unmodifiableList(blocks);
    this.parts = parts;
  }

  public Headers headers() {
    return headers;
  }

  public List<Block> blocks() {
    return blocks;
  }

  public List<Attachment> attachments() {
    return blocks.stream().filter(b -> b instanceof Attachment).map(b -> (Attachment) b).toList();
  }

  /** The bytes of attachment {@code number}, decoded from its transfer encoding. */
  public InputStream attachment(int number) throws IOException {
    if (number < 1 || number > parts.size()) {
      throw new DirectException(Problem.NOT_FOUND, "the message has no attachment " + number);
    }
    try {
      return parts.get(number - 1).getInputStream();
    } catch (MessagingException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "attachment " + number + " cannot be read: "
          + FaultWords.scrub(e.getMessage()), e);
    }
  }

  /** Reads {@code message} within {@code limits}. */
  public static MessageContents read(Path message, MimeLimits limits) {
    try {
      checkTopHeaders(message, limits);
      SharedFileInputStream in = new SharedFileInputStream(message.toFile());
      try {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
        Walk w = new Walk(limits);
        w.walk(m, 0);
        return new MessageContents(in, headersOf(m), w.blocks, w.parts);
      } catch (MessagingException | IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    } catch (DirectException e) {
      throw e;
    } catch (MessagingException | IOException | RuntimeException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the message's MIME structure is broken: "
          + (FaultWords.programmingFault(e) ? "a part is not what its headers say" : FaultWords.scrub(e.getMessage())), e);
    }
  }

  /**
   * The outer header block is counted before anything parses it: the parser would hold all of it
   * in memory, and a block of a million lines is how one makes it run out.
   */
  private static void checkTopHeaders(Path message, MimeLimits limits) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 64 * 1024)) {
      int lines = 0;
      long bytes = 0;
      int lineLength = 0;
      int c;
      while ((c = in.read()) != -1) {
        bytes++;
        if (bytes > limits.maxHeaderBytes()) {
          throw limit("its headers are more than " + limits.maxHeaderBytes() + " bytes", "mime.max-header-bytes");
        }
        if (c == '\n') {
          if (lineLength == 0) {
            return; // the blank line: the body begins
          }
          lines++;
          if (lines > limits.maxHeaderLines()) {
            throw limit("it has more than " + limits.maxHeaderLines() + " header lines", "mime.max-header-lines");
          }
          lineLength = 0;
        } else if (c != '\r') {
          lineLength++;
        }
      }
    }
  }

  private static DirectException limit(String what, String setting) {
    return new DirectException(Problem.MALFORMED_INPUT, "the message is refused: " + what + " (the limit "
        + setting + "); the stored file is kept as it is ('direct read ... --raw' shows it)");
  }

  /** Collects the blocks and the attachments' parts, counting parts and depth. */
  private static final class Walk {
    final MimeLimits limits;
    final List<Block> blocks = new ArrayList<>();
    final List<Part> parts = new ArrayList<>();
    int seen;

    Walk(MimeLimits limits) {
      this.limits = limits;
    }

    void walk(Part p, int depth) throws MessagingException, IOException {
      if (depth > limits.maxNesting()) {
        throw limit("its parts are nested more than " + limits.maxNesting() + " levels deep", "mime.max-nesting");
      }
      if (++seen > limits.maxParts()) {
        throw limit("it has more than " + limits.maxParts() + " parts", "mime.max-parts");
      }
      checkHeaders(p);
      if (p.isMimeType("multipart/*")) {
        Multipart mp = (Multipart) p.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
          walk(mp.getBodyPart(i), depth + 1);
        }
        return;
      }
      if (p.isMimeType("message/rfc822") && p.getContent() instanceof MimeMessage inner) {
        blocks.add(new ForwardedStart(headersOf(inner)));
        walk(inner, depth + 1);
        blocks.add(new ForwardedEnd());
        return;
      }
      boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || p.getFileName() != null;
      if (!attachment && p.isMimeType("text/plain")) {
        blocks.add(new Text(String.valueOf(p.getContent())));
        return;
      }
      int number = parts.size() + 1;
      String name = p.getFileName() != null ? decode(p.getFileName()) : "part-" + number;
      parts.add(p);
      blocks.add(new Attachment(number, name, fileName(name, number), p.getContentType().split(";")[0].trim()
          .toLowerCase(Locale.ROOT), size(p), !attachment));
    }

    private void checkHeaders(Part p) throws MessagingException {
      int lines = 0;
      long bytes = 0;
      for (var e = p.getAllHeaders(); e.hasMoreElements();) {
        jakarta.mail.Header h = e.nextElement();
        lines++;
        bytes += h.getName().length() + (h.getValue() == null ? 0 : h.getValue().length()) + 4;
      }
      if (lines > limits.maxHeaderLines()) {
        throw limit("a part has more than " + limits.maxHeaderLines() + " header lines", "mime.max-header-lines");
      }
      if (bytes > limits.maxHeaderBytes()) {
        throw limit("a part's headers are more than " + limits.maxHeaderBytes() + " bytes", "mime.max-header-bytes");
      }
    }
  }

  /** The decoded size: counted by reading, since a transfer encoding says nothing exact about it. */
  private static long size(Part p) throws MessagingException, IOException {
    try (InputStream in = p.getInputStream()) {
      return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  /** A name that is only letters, digits, dot, dash and underscore, and is never a path or only dots. */
  public static String fileName(String name, int number) {
    String base = name.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    return base.replace(".", "").isEmpty() ? "attachment-" + number : base;
  }

  private static Headers headersOf(MimeMessage m) throws MessagingException {
    return new Headers(header(m, "From"), header(m, "To"), header(m, "Cc"), header(m, "Date"), header(m, "Subject"),
        header(m, "Message-ID"), header(m, "In-Reply-To"));
  }

  private static Optional<String> header(MimeMessage m, String name) throws MessagingException {
    String v = m.getHeader(name, ", ");
    return v == null ? Optional.empty() : Optional.of(decode(v));
  }

  private static String decode(String v) {
    try {
      return MimeUtility.decodeText(v);
    } catch (UnsupportedEncodingException e) {
      return v; // an unknown charset: the text as it came
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
