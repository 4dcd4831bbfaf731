package health.direct.core.audit;

import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The sent folder read as the archive of disclosures (the seed's benefit, risk 1): every message
 * that left, with its recipients, subject, attachments and outcome, between two instants.
 * A message sent without S/MIME under the off-by-default policy for non-Direct addresses is marked
 * not secured, with its DLP result; a message that could not be read is listed with the reason.
 *
 * <pre>{@code
 * List<Disclosure> d = new DisclosureLog(mailbox, outbox).between(since, until);
 * }</pre>
 */
public final class DisclosureLog {
  private final Mailbox mailbox;
  private final Outbox outbox;

  public DisclosureLog(Mailbox mailbox, Outbox outbox) {
    this.mailbox = mailbox;
    this.outbox = outbox;
  }

  public List<Disclosure> between(Optional<Instant> since, Optional<Instant> until) {
    List<Disclosure> out = new ArrayList<>();
    for (StoredMessage m : mailbox.list(Folder.SENT)) {
      Instant when = m.summary().date().orElse(m.storedAt());
      if (since.map(when::isBefore).orElse(false) || until.map(when::isAfter).orElse(false)) {
        continue;
      }
      List<String> outcomes = new ArrayList<>();
      boolean secured = !"sent-unsecured".equals(m.summary().verdict());
      Optional<OutboxEntry> e = Optional.ofNullable(m.summary().messageId()).stream()
          .flatMap(id -> outbox.entriesByMessageId(id).stream())
          .filter(x -> (x.expectation() == OutboxEntry.Expectation.NONE) != secured).findFirst();
      e.ifPresent(x -> x.recipients().forEach(r -> outcomes.add(r.address() + ": " + r.outcome())));
      List<String> to = e.map(x -> x.recipients().stream().map(r -> r.address().toString()).toList())
          .orElse(List.of(Optional.ofNullable(m.summary().to()).orElse("")));
      List<Disclosure.Attachment> attachments = new ArrayList<>();
      String subject = m.summary().subject();
      try (InputStream in = Files.newInputStream(m.file())) {
        MimeMessage msg = new MimeMessage(Session.getInstance(new Properties()), in);
        collect(msg, attachments);
      } catch (IOException | MessagingException e2) {
        outcomes.add("(the sent copy could not be read: " + e2.getMessage() + ")");
      }
      if (!secured) {
        outcomes.add(m.summary().detail());
      }
      out.add(new Disclosure(when, m.summary().messageId(), m.summary().from(), to, secured, subject, attachments,
          outcomes));
    }
    return out;
  }

  private static void collect(Part p, List<Disclosure.Attachment> out) throws MessagingException, IOException {
    if (p.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        collect(mp.getBodyPart(i), out);
      }
      return;
    }
    boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || p.getFileName() != null;
    if (!attachment) {
      return;
    }
    try (InputStream in = p.getInputStream()) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      DigestInputStream din = new DigestInputStream(in, sha);
      long size = din.transferTo(java.io.OutputStream.nullOutputStream());
      String name = p.getFileName() == null ? "(unnamed)" : MimeUtility.decodeText(p.getFileName());
      out.add(new Disclosure.Attachment(name, p.getContentType().split(";")[0].trim().toLowerCase(java.util.Locale.ROOT),
          size, HexFormat.of().formatHex(sha.digest())));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
