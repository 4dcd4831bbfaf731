package health.direct.core.dlp;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Scans a message for PHI (risk 1's data-loss-prevention check): the subject, text bodies and
 * attachments, reading text, XML (C-CDA included), PDF text (PDFBox) and the entries of zip
 * archives, with size limits. It reports counts and places, never what matched.
 *
 * <pre>{@code
 * DlpReport r = new PhiScanner(PhiRules.defaults()).scan(Path.of("outgoing.eml"));
 * if (!r.passed()) r.findings().forEach(System.out::println);
 * }</pre>
 */
public final class PhiScanner {
  private static final int MAX_PART = 20 * 1024 * 1024;

  /** MIME multiparts nested deeper than this are not a message anyone writes. */
  private static final int MAX_MIME_NESTING = 50;

  private final PhiRules rules;

  public PhiScanner(PhiRules rules) {
    this.rules = rules;
  }

  public DlpReport scan(Path message) {
    List<DlpReport.Finding> findings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Budget budget = new Budget(rules.limits());
    try (InputStream in = Files.newInputStream(message)) {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
      String subject = m.getSubject();
      if (subject != null) {
        check("subject", subject, findings);
      }
      walk(m, findings, notes, 0, budget);
    } catch (IOException | MessagingException e) {
      notes.add("the message could not be read whole (" + e.getMessage() + "): it does not pass");
      return new DlpReport(findings, Integer.MAX_VALUE, rules.threshold(), notes);
    } catch (LimitReached e) {
      notes.add("not scanned whole: " + e.getMessage() + "; a message that cannot be scanned whole does not pass, "
          + "so it is never sent unprotected (dlp-rules.properties sets the limits)");
      return new DlpReport(findings, Integer.MAX_VALUE, rules.threshold(), notes);
    }
    int score = findings.stream().mapToInt(f -> f.weight() * f.count()).sum();
    return new DlpReport(findings, score, rules.threshold(), notes);
  }

  /** What one scan may still read; reaching a limit ends the scan. */
  private static final class Budget {
    private final PhiRules.ScanLimits limits;
    private long bytes;
    private int entries;

    Budget(PhiRules.ScanLimits limits) {
      this.limits = limits;
    }

    /** Reads at most what the budget allows of {@code in}. */
    byte[] read(InputStream in, String where) throws IOException {
      long left = limits.maxBytes() - bytes;
      byte[] data = in.readNBytes((int) Math.min(MAX_PART + 1L, left + 1));
      bytes += data.length;
      if (bytes > limits.maxBytes()) {
        throw new LimitReached("the scan limit of " + limits.maxBytes() + " bytes in all was reached at " + where);
      }
      return data;
    }

    void entry(String where) {
      if (++entries > limits.maxEntries()) {
        throw new LimitReached("the limit of " + limits.maxEntries() + " archive entries was reached at " + where);
      }
    }
  }

  /** A scan limit reached: the message is not scanned whole. */
  private static final class LimitReached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LimitReached(String message) {
      super(message, null, false, false);
    }
  }

  /** Scans plain text (a subject someone is about to use, say). */
  public DlpReport scanText(String where, String text) {
    List<DlpReport.Finding> findings = new ArrayList<>();
    check(where, text, findings);
    return new DlpReport(findings, findings.stream().mapToInt(f -> f.weight() * f.count()).sum(), rules.threshold(),
        List.of());
  }

  private void walk(Part p, List<DlpReport.Finding> findings, List<String> notes, int depth, Budget budget)
      throws MessagingException, IOException {
    if (p.isMimeType("multipart/*")) {
      if (depth > MAX_MIME_NESTING) {
        throw new LimitReached("multiparts are nested more than " + MAX_MIME_NESTING + " levels deep");
      }
      Multipart mp = (Multipart) p.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        walk(mp.getBodyPart(i), findings, notes, depth + 1, budget);
      }
      return;
    }
    String name = p.getFileName() == null ? null : MimeUtility.decodeText(p.getFileName());
    String where = name == null ? "body" : "attachment " + name;
    if (name != null) {
      check("attachment name", name, findings);
    }
    byte[] data;
    try (InputStream in = p.getInputStream()) {
      data = budget.read(in, where);
    }
    if (data.length > MAX_PART) {
      throw new LimitReached(where + " is larger than " + (MAX_PART >> 20) + " MiB, the most one part is scanned for");
    }
    content(where, p.getContentType().toLowerCase(Locale.ROOT), name, data, findings, notes, 0, budget);
  }

  private void content(String where, String type, String name, byte[] data, List<DlpReport.Finding> findings,
      List<String> notes, int depth, Budget budget) throws IOException {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/pdf") || lower.endsWith(".pdf")) {
      try (PDDocument doc = Loader.loadPDF(data)) {
        check(where, new PDFTextStripper().getText(doc), findings);
      } catch (IOException e) {
        notes.add(where + ": the PDF text could not be read (" + e.getMessage() + ")");
      }
    } else if (type.startsWith("application/zip") || lower.endsWith(".zip")) {
      if (depth >= rules.limits().maxNesting()) {
        throw new LimitReached(where + " nests archives more than " + rules.limits().maxNesting() + " deep");
      }
      try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data))) {
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
          if (!e.isDirectory()) {
            String at = where + " / " + e.getName();
            budget.entry(at);
            check(where + " / entry name", e.getName(), findings);
            byte[] entry = budget.read(zip, at);
            long packed = e.getCompressedSize(); // known once the entry has been read
            if (packed > 0 && entry.length / packed > rules.limits().maxRatio()) {
              throw new LimitReached(at + " expands to more than " + rules.limits().maxRatio()
                  + " times its compressed size (" + packed + " to " + entry.length + " bytes), as a zip bomb does");
            }
            if (entry.length > MAX_PART) {
              throw new LimitReached(at + " is larger than " + (MAX_PART >> 20) + " MiB, the most one part is scanned for");
            }
            content(at, guess(e.getName()), e.getName(), entry, findings, notes, depth + 1, budget);
          }
        }
      }
    } else if (type.startsWith("text/") || type.contains("xml") || type.contains("json") || lower.endsWith(".xml")
        || lower.endsWith(".txt") || lower.endsWith(".csv") || lower.endsWith(".hl7")) {
      check(where, new String(data, StandardCharsets.UTF_8), findings);
    } else {
      // unknown binary: look at it as text anyway, for identifiers written in plain ASCII
      check(where, new String(data, StandardCharsets.ISO_8859_1), findings);
    }
  }

  private static String guess(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".pdf") ? "application/pdf" : n.endsWith(".zip") ? "application/zip"
        : n.endsWith(".xml") ? "application/xml" : "application/octet-stream";
  }

  private void check(String where, String text, List<DlpReport.Finding> findings) {
    for (PhiRule r : rules.rules()) {
      int n = r.count(text);
      if (n > 0) {
        findings.add(new DlpReport.Finding(where, r.id(), r.description(), n, r.weight()));
      }
    }
  }
}
