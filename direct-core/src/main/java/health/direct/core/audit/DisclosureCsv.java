package health.direct.core.audit;

import java.util.List;

/**
 * The accounting of disclosures as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or
 * line break quoted), one row per sent message, as {@code direct audit --csv} and the web client's
 * download write it.
 *
 * <pre>{@code
 * String csv = DisclosureCsv.of(audit.disclosures(Optional.empty(), Optional.empty()));
 * }</pre>
 */
public final class DisclosureCsv {
  private DisclosureCsv() {}

  public static String of(List<Disclosure> all) {
    StringBuilder out = new StringBuilder("when,message_id,from,to,secured,subject,attachments,outcomes\r\n");
    for (Disclosure d : all) {
      out.append(String.join(",", List.of(cell(d.when().toString()), cell(d.messageId()), cell(d.from()),
          cell(String.join("; ", d.to())), cell(d.secured() ? "yes" : "no"), cell(d.subject()),
          cell(String.join("; ", d.attachments().stream().map(x -> x.name() + " (" + x.type() + ", " + x.size()
              + " bytes, sha256 " + x.sha256() + ")").toList())), cell(String.join("; ", d.outcomes())))))
          .append("\r\n");
    }
    return out.toString();
  }

  /** A field, quoted when it must be; a leading =, +, - or @ is quoted too, so a spreadsheet never runs it as a formula. */
  static String cell(String v) {
    String s = v == null ? "" : v;
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    return s.matches("(?s).*[,\"\\r\\n].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
