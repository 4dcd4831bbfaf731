package health.direct.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.address.DirectAddress;
import health.direct.core.compose.Draft;
import health.direct.core.compose.MessageComposer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Risk 1's data-loss-prevention check: what counts as PHI, where it is looked for, and the rules file. */
@Tag("risk1")
class PhiScannerTest {
  @TempDir
  Path dir;

  private final PhiScanner scanner = new PhiScanner(PhiRules.defaults());

  private Path message(String subject, String body, Path... attachments) throws Exception {
    Path m = dir.resolve("m" + System.nanoTime() + ".eml");
    try (OutputStream o = Files.newOutputStream(m)) {
      new MessageComposer(Clock.systemUTC(), false).compose(new Draft(DirectAddress.parse("a@hospital.example"),
          List.of(DirectAddress.parse("b@elsewhere.example")), List.of(), subject, body, List.of(attachments)), o);
    }
    return m;
  }

  private static List<String> rules(DlpReport r) {
    return r.findings().stream().map(DlpReport.Finding::rule).distinct().toList();
  }

  @Test
  void anOrdinaryMessagePasses() throws Exception {
    DlpReport r = scanner.scan(message("Lunch on Friday?", "Shall we meet at 12:30 on 2026-12-04 at the usual place?"));
    assertThat(r.passed()).as("%s", r).isTrue();
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void identifiersInSubjectAndBodyAreFoundAndReportedWithoutTheirValues() throws Exception {
    DlpReport r = scanner.scan(message("Patient MRN: 00123456", "SSN 123-45-6789, DOB: 03/14/1962, NPI 1234567893, "
        + "diagnosis E11.9, LOINC 57133-1"));

    assertThat(r.passed()).isFalse();
    assertThat(rules(r)).contains("mrn", "ssn", "dob", "npi", "icd10", "loinc");
    assertThat(r.findings()).anyMatch(f -> f.where().equals("subject") && f.rule().equals("mrn"));
    assertThat(r.findings().toString()).doesNotContain("123-45-6789").doesNotContain("00123456");
  }

  @Test
  void lookalikesAreNotPhiANumberFailingTheNpiCheckADateWithoutBirthWordsAnInvalidSsn() throws Exception {
    DlpReport r = scanner.scan(message("Order 1234567890", "NPI 1234567890 is not valid; meeting on 03/14/1962; "
        + "ticket 000-12-3456; version 4.2"));
    assertThat(rules(r)).doesNotContain("npi", "dob", "ssn");
  }

  @Test
  void aCcdaAttachmentAZipOfItAndAPdfAreRead() throws Exception {
    Path ccd = Files.writeString(dir.resolve("summary.xml"),
        "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><birthTime value=\"19620314\"/></ClinicalDocument>");
    Path zip = dir.resolve("records.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("inner/ssn.txt"));
      z.write("patient ssn 123-45-6789".getBytes());
      z.closeEntry();
    }
    Path pdf = dir.resolve("letter.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        cs.newLineAtOffset(72, 700);
        cs.showText("Medical record number 7788990");
        cs.endText();
      }
      doc.save(pdf.toFile());
    }

    DlpReport r = scanner.scan(message("Documents", "see attached", ccd, zip, pdf));

    assertThat(r.findings()).anyMatch(f -> f.where().equals("attachment summary.xml") && f.rule().equals("ccda"))
        .anyMatch(f -> f.where().equals("attachment summary.xml") && f.rule().equals("dob"))
        .anyMatch(f -> f.where().equals("attachment records.zip / inner/ssn.txt") && f.rule().equals("ssn"))
        .anyMatch(f -> f.where().equals("attachment letter.pdf") && f.rule().equals("mrn"));
  }

  @Test
  void theRulesFileSwitchesRulesOffAddsRulesAndSetsTheThreshold() throws Exception {
    Path rulesFile = Files.writeString(dir.resolve("dlp-rules.properties"), "threshold = 10\nrule.icd10.enabled = false\n"
        + "rule.member.pattern = \\\\bMBR-\\\\d{8}\\\\b\nrule.member.description = health plan member id\n"
        + "rule.member.weight = 10\n");
    PhiScanner custom = new PhiScanner(PhiRules.load(rulesFile));

    DlpReport icd = custom.scan(message("codes", "E11.9 and E78.5"));
    DlpReport member = custom.scan(message("member", "member MBR-12345678"));

    assertThat(rules(icd)).doesNotContain("icd10");
    assertThat(icd.passed()).isTrue();
    assertThat(member.passed()).isFalse();
    assertThat(member.findings()).singleElement().satisfies(f -> assertThat(f.description())
        .isEqualTo("health plan member id"));
  }

  @Test
  void checkDigitsAreThoseOfNpiAndLoinc() {
    assertThat(PhiRules.validNpi("1234567893")).isTrue();
    assertThat(PhiRules.validNpi("1234567890")).isFalse();
    assertThat(PhiRules.validLoinc("57133-1")).isTrue();
    assertThat(PhiRules.validLoinc("2345-7")).isTrue();
    assertThat(PhiRules.validLoinc("2345-8")).isFalse();
  }

  private Path zip(String name, int entries, int bytesEach) throws Exception {
    Path z = dir.resolve(name);
    try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(z))) {
      byte[] zeros = new byte[bytesEach];
      for (int i = 0; i < entries; i++) {
        out.putNextEntry(new java.util.zip.ZipEntry("e" + i + ".txt"));
        out.write(zeros);
        out.closeEntry();
      }
    }
    return z;
  }

  @Test
  void anArchiveWithMoreEntriesThanTheLimitDoesNotPassAndSaysWhichLimit() throws Exception {
    DlpReport r = scanner.scan(message("Lab files", "attached", zip("many.zip", 1_500, 10)));

    assertThat(r.passed()).isFalse();
    assertThat(String.join(" ", r.notes())).contains("limit of 1000 archive entries").contains("never sent unprotected");
  }

  @Test
  void aZipBombStopsAtItsFirstEntryThatExpandsBeyondTheRatio() throws Exception {
    // 4 entries of 18 MiB of zeros: a few hundred KiB compressed, 72 MiB once inflated
    DlpReport r = scanner.scan(message("Lab files", "attached", zip("bomb.zip", 4, 18 << 20)));

    assertThat(r.passed()).isFalse();
    assertThat(String.join(" ", r.notes())).contains("e0.txt expands to more than 100 times its compressed size")
        .contains("never sent unprotected");
  }

  @Test
  void aScanStopsAtTheByteLimitInAllInsteadOfBeingReadForMinutes() throws Exception {
    PhiRules rules = PhiRules.load(Files.writeString(dir.resolve("dlp-rules.properties"),
        "limit.bytes = 1000000\nlimit.ratio = 100000\n"));
    DlpReport r = new PhiScanner(rules).scan(message("Lab files", "attached", zip("bomb.zip", 4, 400_000)));

    assertThat(r.passed()).isFalse();
    assertThat(String.join(" ", r.notes())).contains("scan limit of 1000000 bytes");
  }

  @Test
  void thePartsOfAMessageTooLargeToScanWholeDoNotPass() throws Exception {
    Path big = Files.write(dir.resolve("big.txt"), new byte[21 << 20]);
    DlpReport r = scanner.scan(message("Scan", "attached", big));

    assertThat(r.passed()).isFalse();
    assertThat(String.join(" ", r.notes())).contains("larger than 20 MiB");
  }

  @Test
  void theLimitsComeFromTheRulesFile() throws Exception {
    Path rulesFile = Files.writeString(dir.resolve("dlp-rules.properties"), "limit.entries = 5\nlimit.bytes = 1000000\n"
        + "limit.nesting = 1\nlimit.ratio = 20\n");
    PhiRules rules = PhiRules.load(rulesFile);
    assertThat(rules.limits()).isEqualTo(new PhiRules.ScanLimits(1_000_000, 5, 1, 20));
    DlpReport r = new PhiScanner(rules).scan(message("Lab files", "attached", zip("six.zip", 6, 10)));
    assertThat(String.join(" ", r.notes())).contains("limit of 5 archive entries");
  }
}
