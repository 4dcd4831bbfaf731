package health.direct.web;

import health.direct.core.DirectException;
import health.direct.core.ccda.ClinicalDocument;
import health.direct.core.mime.MessageContents;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How an attachment is shown in the message view: always as a download, and besides that an HTML
 * body part (one not sent as a file) cleaned, and a CDA document (a C-CDA) as its header and
 * section narratives, cleaned. What is too large, or cannot be read, is only offered as a download.
 */
final class PartViews {
  static final long MAX_HTML = 1L << 20;
  static final long MAX_CDA = 8L << 20;

  private PartViews() {}

  static Views.Block attachment(MessageContents c, MessageContents.Attachment a) throws IOException {
    String type = a.type();
    if (type.equals("text/html") && a.body() && a.size() <= MAX_HTML) {
      try (InputStream in = c.attachment(a.number())) {
        String html = SafeHtml.clean(org.jsoup.Jsoup.parse(in, null, "").body().html());
        return block("html", a, html, Optional.empty());
      }
    }
    if (xml(a) && a.size() <= MAX_CDA) {
      try (InputStream in = c.attachment(a.number())) {
        Optional<ClinicalDocument> d = ClinicalDocument.read(in);
        if (d.isPresent()) {
          return block("cda", a, "", Optional.of(cda(d.get())));
        }
      } catch (DirectException e) {
        // not readable as XML: offered as a download like any other file
      }
    }
    return block("attachment", a, "", Optional.empty());
  }

  private static boolean xml(MessageContents.Attachment a) {
    return a.type().equals("text/xml") || a.type().equals("application/xml") || a.type().endsWith("+xml")
        || a.name().toLowerCase(Locale.ROOT).endsWith(".xml");
  }

  private static Views.Cda cda(ClinicalDocument d) {
    List<Views.CdaSection> sections = d.sections().stream()
        .map(s -> new Views.CdaSection(s.title().isEmpty() ? "(untitled section)" : s.title(),
            SafeHtml.narrative(s.narrativeXml()), s.depth()))
        .toList();
    ClinicalDocument.Patient p = d.patient();
    return new Views.Cda(d.title(), hl7Date(d.effectiveTime()), orDash(p.name()), orDash(hl7Date(p.birthTime())),
        orDash(p.gender()), orDash(String.join(", ", p.ids())), sections);
  }

  /** An HL7 TS (yyyyMMdd[HHmm...]) as yyyy-MM-dd[ HH:mm]; anything else as written. */
  static String hl7Date(String ts) {
    if (ts.matches("\\d{8}.*")) {
      String day = ts.substring(0, 4) + "-" + ts.substring(4, 6) + "-" + ts.substring(6, 8);
      return ts.matches("\\d{12}.*") ? day + " " + ts.substring(8, 10) + ":" + ts.substring(10, 12) : day;
    }
    return ts;
  }

  private static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  private static Views.Block block(String kind, MessageContents.Attachment a, String html, Optional<Views.Cda> cda) {
    return new Views.Block(kind, "", List.of(), a.number(), a.name(), a.type(), a.size(), html, cda);
  }
}
