package health.direct.core.ccda;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * What a person reads in an HL7 CDA document (a C-CDA such as a referral note or a discharge
 * summary): its title and date, the patient header, and each section's title with its narrative
 * block ({@code <text>}, the part of CDA meant for human eyes). The XML is parsed with DTDs and
 * external entities refused, and a stylesheet the document names is never fetched or run.
 *
 * <pre>{@code
 * Optional<ClinicalDocument> cda = ClinicalDocument.read(in);
 * cda.ifPresent(d -> System.out.println(d.title() + " for " + d.patient().name()));
 * }</pre>
 *
 * @param title the document's title
 * @param effectiveTime when it was made, as the document writes it (HL7 TS: yyyyMMddHHmmss...)
 * @param patient the record target's demographics
 * @param sections the body's sections, in order, nested ones flattened after their parent
 */
public record ClinicalDocument(String title, String effectiveTime, Patient patient, List<Section> sections) {
  /** The HL7 v3 namespace CDA documents are written in. */
  public static final String HL7 = "urn:hl7-org:v3";

  public ClinicalDocument {
    sections = List.copyOf(sections);
  }

  /** The patient as the header names them. */
  public record Patient(String name, String birthTime, String gender, List<String> ids) {
    public Patient {
      ids = List.copyOf(ids);
    }
  }

  /**
   * One section: its title and its narrative block as CDA narrative XML (elements such as
   * {@code paragraph}, {@code list}, {@code table}, {@code content}), to be turned into HTML and
   * sanitised by whoever shows it.
   */
  public record Section(String title, String narrativeXml, int depth) {}

  /**
   * The document in {@code in}, or empty when it is XML but not a CDA ClinicalDocument.
   *
   * @throws DirectException {@link Problem#MALFORMED_INPUT} when it is not well-formed XML, or
   *     declares a DTD (refused: entity expansion is how XML bombs and file reads work)
   */
  public static Optional<ClinicalDocument> read(InputStream in) {
    Document doc;
    try {
      doc = builder().parse(in);
    } catch (SAXException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the XML document cannot be read: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "the XML document cannot be read: " + e.getMessage(), e);
    }
    Element root = doc.getDocumentElement();
    if (root == null || !HL7.equals(root.getNamespaceURI()) || !"ClinicalDocument".equals(root.getLocalName())) {
      return Optional.empty();
    }
    String title = child(root, "title").map(Element::getTextContent).map(String::strip).orElse("Clinical document");
    String effective = child(root, "effectiveTime").map(e -> e.getAttribute("value")).orElse("");
    Patient patient = patient(root);
    List<Section> sections = new ArrayList<>();
    child(root, "component").flatMap(c -> child(c, "structuredBody"))
        .ifPresent(body -> children(body, "component").forEach(c -> child(c, "section")
            .ifPresent(s -> section(s, 0, sections))));
    return Optional.of(new ClinicalDocument(title, effective, patient, sections));
  }

  private static void section(Element s, int depth, List<Section> out) {
    String title = child(s, "title").map(Element::getTextContent).map(String::strip).orElse("");
    String narrative = child(s, "text").map(ClinicalDocument::inner).orElse("");
    out.add(new Section(title, narrative, depth));
    children(s, "component").forEach(c -> child(c, "section").ifPresent(inner -> section(inner, depth + 1, out)));
  }

  private static Patient patient(Element root) {
    Optional<Element> role = child(root, "recordTarget").flatMap(r -> child(r, "patientRole"));
    List<String> ids = new ArrayList<>();
    role.ifPresent(r -> children(r, "id").forEach(id -> {
      String ext = id.getAttribute("extension");
      if (!ext.isEmpty()) {
        ids.add(ext);
      }
    }));
    Optional<Element> p = role.flatMap(r -> child(r, "patient"));
    String name = p.flatMap(x -> child(x, "name")).map(ClinicalDocument::personName).orElse("");
    String birth = p.flatMap(x -> child(x, "birthTime")).map(e -> e.getAttribute("value")).orElse("");
    String gender = p.flatMap(x -> child(x, "administrativeGenderCode"))
        .map(e -> e.getAttribute("displayName").isEmpty() ? e.getAttribute("code") : e.getAttribute("displayName"))
        .orElse("");
    return new Patient(name, birth, gender, ids);
  }

  /** "given family" from a PN, or its text when it has no parts. */
  private static String personName(Element name) {
    List<String> parts = new ArrayList<>();
    for (String part : List.of("prefix", "given", "family", "suffix")) {
      children(name, part).forEach(e -> parts.add(e.getTextContent().strip()));
    }
    return parts.isEmpty() ? name.getTextContent().strip() : String.join(" ", parts);
  }

  /** The element's content as XML, without the element itself. */
  private static String inner(Element e) {
    try {
      Transformer t = TransformerFactory.newDefaultInstance().newTransformer();
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter w = new StringWriter();
      for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
        t.transform(new DOMSource(n), new StreamResult(w));
      }
      return w.toString();
    } catch (TransformerException x) {
      throw new DirectException(Problem.MALFORMED_INPUT, "a section's narrative cannot be read: " + x.getMessage(), x);
    }
  }

  private static Optional<Element> child(Element parent, String name) {
    return children(parent, name).stream().findFirst();
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && HL7.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  private static DocumentBuilder builder() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // errors are thrown, never printed to standard error
      return b;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a safety feature", e);
    }
  }
}
