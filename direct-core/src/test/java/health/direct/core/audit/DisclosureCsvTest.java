package health.direct.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisclosureCsvTest {
  @Test
  void fieldsWithCommasQuotesOrLineBreaksAreQuotedAndAFormulaIsNeverLeftToRun() {
    Disclosure d = new Disclosure(Instant.parse("2026-12-02T10:00:00Z"), "<1@h.example>", "a@h.example",
        List.of("b@c.example", "c@c.example"), true, "=HYPERLINK(\"http://x\")", List.of(
            new Disclosure.Attachment("a,b.pdf", "application/pdf", 3, "ab")), List.of("b@c.example: processed\nlate"));

    String csv = DisclosureCsv.of(List.of(d));

    assertThat(csv).startsWith("when,message_id,from,to,secured,subject,attachments,outcomes\r\n")
        .contains("2026-12-02T10:00:00Z,<1@h.example>,a@h.example,b@c.example; c@c.example,yes,")
        .contains(",\"'=HYPERLINK(\"\"http://x\"\")\",")
        .contains(",\"a,b.pdf (application/pdf, 3 bytes, sha256 ab)\",")
        .endsWith(",\"b@c.example: processed\nlate\"\r\n");
  }
}
