package health.direct.core.compose;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.address.InvalidAddressException;
import health.direct.core.address.MessageId;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Drafts that answer or pass on a stored message: the reply goes to its sender (and with {@code
 * all} to its other recipients), keeps the thread (In-Reply-To, References) and quotes its text;
 * the forward carries it whole as message/rfc822.
 *
 * <pre>{@code
 * Draft d = Replies.reply(inbox3.file(), me, false, "Seen, thank you.");
 * }</pre>
 */
public final class Replies {
  private Replies() {}

  /** A reply from {@code me} to the message in {@code original}, with {@code text} above the quoted original. */
  public static Draft reply(Path original, DirectAddress me, boolean all, String text) {
    MimeMessage m = read(original);
    try {
      List<DirectAddress> to = addresses(m.getReplyTo() != null ? m.getReplyTo() : m.getFrom());
      if (to.isEmpty()) {
        throw new DirectException(Problem.MALFORMED_INPUT, "the message has no From or Reply-To to answer");
      }
      List<DirectAddress> cc = new ArrayList<>();
      if (all) {
        Set<DirectAddress> seen = new LinkedHashSet<>(to);
        seen.add(me);
        for (DirectAddress a : addresses(m.getRecipients(MimeMessage.RecipientType.TO))) {
          if (seen.add(a)) {
            cc.add(a);
          }
        }
        for (DirectAddress a : addresses(m.getRecipients(MimeMessage.RecipientType.CC))) {
          if (seen.add(a)) {
            cc.add(a);
          }
        }
      }
      Optional<MessageId> id = MessageId.parse(m.getHeader("Message-ID", null));
      List<String> references = new ArrayList<>();
      String earlier = m.getHeader("References", " ");
      if (earlier != null) {
        for (String r : MimeUtility.unfold(earlier).trim().split("\\s+")) {
          MessageId.parse(r).ifPresent(x -> references.add(x.toString()));
        }
      }
      id.ifPresent(x -> references.add(x.toString()));
      String quoted = quote(m);
      String body = text + (quoted.isEmpty() ? "" : "\n\n" + attribution(m) + "\n" + quoted);
      return new Draft(me, to, cc, prefixed("Re: ", subject(m)), body, List.of(), id.map(MessageId::toString),
          references, Optional.empty());
    } catch (MessagingException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "cannot read the message to reply to: " + e.getMessage(), e);
    }
  }

  /** The message in {@code original}, passed on whole from {@code me} to {@code to}, with {@code text} before it. */
  public static Draft forward(Path original, DirectAddress me, List<DirectAddress> to, List<DirectAddress> cc,
      String text) {
    MimeMessage m = read(original);
    return new Draft(me, to, cc, prefixed("Fwd: ", subject(m)), text, List.of(), Optional.empty(), List.of(),
        Optional.of(original));
  }

  private static MimeMessage read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new MimeMessage(Session.getInstance(new Properties()), in);
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot read the stored message " + file + ": " + e.getMessage(), e);
    } catch (MessagingException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the stored message is not readable MIME: " + e.getMessage(), e);
    }
  }

  private static String subject(MimeMessage m) {
    try {
      return Optional.ofNullable(m.getSubject()).orElse("");
    } catch (MessagingException e) {
      return "";
    }
  }

  /** "Re: " once: a subject already answered ("RE: x", "Re: x") is not prefixed again. */
  static String prefixed(String prefix, String subject) {
    String s = subject.trim();
    String bare = prefix.trim().toLowerCase(Locale.ROOT);
    return s.toLowerCase(Locale.ROOT).startsWith(bare) ? s : prefix + s;
  }

  private static String attribution(MimeMessage m) throws MessagingException {
    Address[] from = m.getFrom();
    String who = from == null || from.length == 0 ? "the sender" : from[0].toString();
    // the Date as the sender wrote it: the reader's time zone is not known here
    String date = m.getHeader("Date", null);
    return date == null ? who + " wrote:" : "On " + MimeUtility.unfold(date).trim() + ", " + who + " wrote:";
  }

  /** The first plain-text part, each line quoted with "> "; empty when there is none. */
  private static String quote(MimeMessage m) {
    try {
      Optional<String> text = firstText(m);
      if (text.isEmpty()) {
        return "";
      }
      StringBuilder out = new StringBuilder();
      for (String line : text.get().replace("\r\n", "\n").split("\n", -1)) {
        out.append(line.isEmpty() ? ">" : "> " + line).append('\n');
      }
      return out.toString().stripTrailing();
    } catch (MessagingException | IOException e) {
      return "";
    }
  }

  private static Optional<String> firstText(Part p) throws MessagingException, IOException {
    if (p.isMimeType("text/plain") && !Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
      Object c = p.getContent();
      return c instanceof String s ? Optional.of(s) : Optional.empty();
    }
    if (p.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        Optional<String> t = firstText(mp.getBodyPart(i));
        if (t.isPresent()) {
          return t;
        }
      }
    }
    return Optional.empty();
  }

  private static List<DirectAddress> addresses(Address[] list) {
    List<DirectAddress> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (Address a : list) {
      if (a instanceof InternetAddress ia) {
        try {
          out.add(DirectAddress.parse(ia.getAddress()));
        } catch (InvalidAddressException e) {
          // an address that is not a mailbox (a group, a typo) cannot be answered: left out
        }
      }
    }
    return out;
  }
}
