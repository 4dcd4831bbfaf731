package health.direct.web;

import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.safety.Safelist;

/**
 * HTML from a message made safe to show: cleaned by jsoup's sanitiser to an allow-list of text
 * elements (no script, style, form, frame or event attribute survives), images dropped so nothing
 * is fetched from elsewhere (the page's Content-Security-Policy would refuse it too), and links kept
 * only as http, https or mailto with no referrer. A CDA narrative block is first turned into the
 * HTML it stands for (paragraph, list, table, content) and then cleaned the same way.
 */
final class SafeHtml {
  private static final Safelist ALLOWED = Safelist.relaxed()
      .removeTags("img")
      .removeProtocols("a", "href", "ftp")
      .addEnforcedAttribute("a", "rel", "noopener noreferrer");

  /** CDA narrative elements and the HTML each becomes; any other element keeps only its text. */
  private static final Map<String, String> NARRATIVE = Map.ofEntries(
      Map.entry("paragraph", "p"), Map.entry("content", "span"), Map.entry("list", "ul"), Map.entry("item", "li"),
      Map.entry("table", "table"), Map.entry("thead", "thead"), Map.entry("tbody", "tbody"),
      Map.entry("tfoot", "tfoot"), Map.entry("tr", "tr"), Map.entry("th", "th"), Map.entry("td", "td"),
      Map.entry("caption", "caption"), Map.entry("col", "col"), Map.entry("colgroup", "colgroup"),
      Map.entry("br", "br"), Map.entry("sub", "sub"), Map.entry("sup", "sup"), Map.entry("linkHtml", "a"),
      Map.entry("footnote", "small"), Map.entry("footnoteRef", "sup"));

  private SafeHtml() {}

  /** An HTML body part, cleaned. */
  static String clean(String html) {
    return Jsoup.clean(html, "", ALLOWED, new Document.OutputSettings().prettyPrint(false));
  }

  /** A CDA section's narrative block (CDA narrative XML) as cleaned HTML. */
  static String narrative(String narrativeXml) {
    Document xml = Jsoup.parse(narrativeXml, "", Parser.xmlParser());
    // not narrative at all: what these hold is never shown, not even as text
    xml.select("renderMultiMedia, script, style").remove();
    for (Element e : xml.getAllElements()) {
      if (e == xml) {
        continue;
      }
      String name = e.tagName().contains(":") ? e.tagName().substring(e.tagName().indexOf(':') + 1) : e.tagName();
      String html = NARRATIVE.get(name);
      if (html == null) {
        e.tagName("span"); // unknown: only its text is kept
        e.clearAttributes();
        continue;
      }
      if (name.equals("list") && "ordered".equalsIgnoreCase(e.attr("listType"))) {
        html = "ol";
      }
      String href = e.attr("href");
      String colspan = e.attr("colspan");
      String rowspan = e.attr("rowspan");
      e.clearAttributes();
      e.tagName(html);
      if (html.equals("a") && !href.isEmpty()) {
        e.attr("href", href);
      }
      if (!colspan.isEmpty()) {
        e.attr("colspan", colspan);
      }
      if (!rowspan.isEmpty()) {
        e.attr("rowspan", rowspan);
      }
    }
    return clean(xml.html());
  }
}
