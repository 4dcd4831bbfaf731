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
  /**
   * A sink that adds the copies in another client's Sent folder (fetched over IMAP) to the sent
   * folder, so that the audit covers them too: a copy that is not S/MIME is marked not secured and
   * carries its DLP result (counts and places, never content).
   */
  public static health.direct.core.mailbox.MessageSink importer(Mailbox mailbox,
      health.direct.core.dlp.PhiScanner scanner) {
    return new health.direct.core.mailbox.MessageSink() {
      @Override
      public boolean contains(String source) {
        return mailbox.contains(source);
      }

      @Override
      public StoredMessage accept(String source, java.nio.file.Path raw) {
        health.direct.core.mailbox.MessageSummary h = health.direct.core.mailbox.HeaderSummary.of(raw, "", "");
        boolean sealed = false;
        try (InputStream in = Files.newInputStream(raw)) {
          String type = new jakarta.mail.internet.InternetHeaders(in).getHeader("Content-Type", ";");
          sealed = type != null && type.toLowerCase(java.util.Locale.ROOT).contains("pkcs7-mime");
        } catch (IOException | MessagingException e) {
          sealed = false;
        }
        String detail;
        if (sealed) {
          detail = "imported from the server's Sent folder; S/MIME";
        } else {
          health.direct.core.dlp.DlpReport r = scanner.scan(raw);
          detail = "imported from the server's Sent folder; sent WITHOUT S/MIME; DLP: " + (r.passed()
              ? "no PHI found" : "PHI found: " + String.join("; ", r.findings().stream().map(Object::toString).toList()));
        }
        return mailbox.store(Folder.SENT, source, raw, Optional.empty(), new health.direct.core.mailbox.MessageSummary(
            h.messageId(), h.from(), h.to(), h.subject(), h.date(), sealed ? "imported-secured" : "imported-unsecured",
            detail));
      }
    };
  }

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
      boolean secured = !"sent-unsecured".equals(m.summary().verdict())
          && !"imported-unsecured".equals(m.summary().verdict());
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
