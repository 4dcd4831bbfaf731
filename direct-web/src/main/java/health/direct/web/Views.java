package health.direct.web;

import java.util.List;
import java.util.Optional;

/**
 * What the templates show, already decided and formatted: a template only places these values,
 * and jte escapes every one of them for HTML.
 */
public final class Views {
  private Views() {}

  /** The sign-in page, with what went wrong last time, if anything. */
  public record Login(String home, Optional<String> problem) {}

  /** A folder's tab in the navigation. */
  public record Tab(String name, String label, boolean current) {}

  /** One message in a folder's list: its trust badge, sender, subject and local time. */
  public record Row(long number, String badgeClass, String badge, String from, String subject, String when) {}

  /** One page of a folder. */
  public record FolderPage(String account, String csrf, List<Tab> tabs, String folder, String folderLabel,
      List<Row> rows, int page, int pages, long total) {
    public boolean hasPrevious() {
      return page > 1;
    }

    public boolean hasNext() {
      return page < pages;
    }
  }

  /** A header line of a message. */
  public record Header(String name, String value) {}

  /**
   * A piece of a message in order: text, the start or end of a forwarded message, or an attachment;
   * an HTML part or a CDA document also carries what is shown of it ({@code html}: already cleaned
   * by {@link SafeHtml}, the only markup a template places unescaped).
   */
  public record Block(String kind, String text, List<Header> headers, int attachment, String name, String type,
      long size, String html, Optional<Cda> cda) {
    static Block text(String text) {
      return new Block("text", text, List.of(), 0, "", "", 0, "", Optional.empty());
    }
  }

  /** A CDA document as read: title, date, the patient header and each section with its cleaned narrative. */
  public record Cda(String title, String when, String patient, String birth, String gender, String ids,
      List<CdaSection> sections) {}

  /** One section of a CDA document; {@code html} is cleaned by {@link SafeHtml}. */
  public record CdaSection(String title, String html, int depth) {}

  /** One message: its verdict and why, its headers, and its blocks. */
  public record MessagePage(String account, String csrf, List<Tab> tabs, String folder, long number, String badgeClass,
      String badge, String detail, List<Header> headers, List<Block> blocks, Optional<String> problem) {}

  /** The compose form, filled in again with what was typed when sending failed. */
  public record Compose(String account, String csrf, List<Tab> tabs, String heading, String from, String to,
      String subject, String body, String maxSize, Optional<String> problem, String answer, List<String> contacts) {}

  /** Whether one typed address can be sent to: {@code yes}, {@code unsecured} or {@code no}, and why. */
  public record Reach(String address, String verdict, String reason) {}

  /** One recipient of a sent message: where it stands, and the last thing a server said. */
  public record Recipient(String address, String outcome, String detail) {}

  /** A sent message's status. */
  public record Status(String account, String csrf, List<Tab> tabs, String messageId, String subject,
      List<Recipient> recipients, List<String> notSentTo, boolean settled) {}

  /** One contact: address, whether verified and when, where its certificate came from, fingerprints. */
  public record ContactRow(String address, String state, boolean verified, String source, String added,
      String fingerprints) {}

  public record ContactsPage(String account, String csrf, List<Tab> tabs, List<ContactRow> contacts,
      Optional<String> done) {}

  /** A question discovery asked and its answer. */
  public record Question(String source, String query, String answer, String dnssec) {}

  /** A certificate discovery found: its fingerprint to read out, and whether it was kept and why. */
  public record Candidate(String fingerprint, String hex, boolean kept, String reason, String source, String subject,
      String notAfter) {}

  public record DiscoverPage(String account, String csrf, List<Tab> tabs, String address, boolean usable,
      List<Question> questions, List<Candidate> candidates, String addressBook) {}

  /** One sent message in the accounting of disclosures. */
  public record DisclosureRow(String when, String from, String to, boolean secured, String subject, String attachments,
      String outcomes) {}

  public record AuditPage(String account, String csrf, List<Tab> tabs, String since, String until,
      List<DisclosureRow> rows, String query) {}

  public record HealthPage(String account, String csrf, List<Tab> tabs, boolean healthy, List<String> alerts,
      List<String> notes) {}
}
