package health.direct.core.audit;

import java.time.Instant;
import java.util.List;

/**
 * One disclosure, as a privacy officer needs it for a HIPAA accounting of disclosures: when,
 * from whom to whom, whether it was secured, the subject, each attachment (name, type, size,
 * SHA-256), and what became of each recipient's copy.
 */
public record Disclosure(Instant when, String messageId, String from, List<String> to, boolean secured,
    String subject, List<Attachment> attachments, List<String> outcomes) {
  public Disclosure {
    to = List.copyOf(to);
    attachments = List.copyOf(attachments);
    outcomes = List.copyOf(outcomes);
  }

  /** An attached file. */
  public record Attachment(String name, String type, long size, String sha256) {}
}
