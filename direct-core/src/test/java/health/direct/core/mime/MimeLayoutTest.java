package health.direct.core.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header blocks and multipart delimiters located in stored bytes. */
class MimeLayoutTest {
  @TempDir
  Path dir;

  Region region(String text) throws Exception {
    Path p = Files.writeString(dir.resolve("m" + System.nanoTime()), text, StandardCharsets.ISO_8859_1);
    return Region.of(p);
  }

  @Test
  void foldedHeadersAreJoinedAndTheBodyOffsetIsExact() throws Exception {
    String text = "To: a@x.example,\r\n\tb@x.example\r\nSubject: hi\r\n\r\nbody";
    MimeLayout.Headers h = MimeLayout.readHeaders(region(text), "t");
    assertThat(h.headers().getHeader("To", ",")).isEqualTo("a@x.example,\r\n\tb@x.example");
    assertThat(Collections.list(h.headers().getAllHeaderLines())).hasSize(2);
    assertThat(h.bodyStart()).isEqualTo(text.indexOf("body"));
  }

  @Test
  void lfOnlyLeadingContinuationAndNoHeadersAreHandled() throws Exception {
    MimeLayout.Headers lf = MimeLayout.readHeaders(region(" stray\nSubject: x\n\nbody"), "t");
    assertThat(lf.headers().getHeader("Subject", null)).isEqualTo("x");
    assertThat(lf.bodyStart()).isEqualTo(" stray\nSubject: x\n\n".length());
    MimeLayout.Headers none = MimeLayout.readHeaders(region("\r\nbody"), "t");
    assertThat(Collections.list(none.headers().getAllHeaderLines())).isEmpty();
    assertThat(none.bodyStart()).isEqualTo(2);
  }

  @Test
  void endlessHeaderBlockIsRefused() throws Exception {
    String huge = "X-Filler: " + "a".repeat(MimeLayout.MAX_HEADER_BYTES) + "\r\n";
    assertThatThrownBy(() -> MimeLayout.readHeaders(region(huge + huge), "the message"))
        .hasMessageContaining("the message: the header block is larger than");
  }

  @Test
  void multipartPartsExcludeTheLineBreakBeforeEachDelimiter() throws Exception {
    String body = "preamble\r\n--b\r\nPart: one\r\n\r\nfirst\r\n--b  \r\n\r\nsecond\r\n--b--";
    Region r = region(body);
    List<MimeLayout.Part> parts = MimeLayout.parts(r, "b", "t");
    assertThat(parts).hasSize(2);
    assertThat(body.substring((int) parts.get(0).start(), (int) parts.get(0).end())).isEqualTo("Part: one\r\n\r\nfirst");
    assertThat(body.substring((int) parts.get(1).start(), (int) parts.get(1).end())).isEqualTo("\r\nsecond");
    assertThatThrownBy(() -> MimeLayout.parts(region("--b\r\nx\r\n--b\r\ny\r\n"), "b", "the multipart"))
        .hasMessageContaining("no closing delimiter");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"\r\n", "\n"})
  void partsAreFoundAcrossBufferBoundariesAndLongLines(String eol) throws Exception {
    java.util.Random r = new java.util.Random(eol.length());
    String b = "----=_direct_abc";
    List<String> contents = new java.util.ArrayList<>();
    StringBuilder body = new StringBuilder("preamble" + eol);
    for (int p = 0; p < 5; p++) {
      StringBuilder c = new StringBuilder();
      int lines = 1 + r.nextInt(50);
      for (int l = 0; l < lines; l++) {
        if (l > 0) {
          c.append(eol);
        }
        int kind = r.nextInt(4);
        if (kind == 0) {
          c.append("x".repeat(70_000 + r.nextInt(70_000))); // longer than the scan buffer
        } else if (kind == 1) {
          c.append("--").append(b).append("X not a delimiter");
        } else {
          c.append("line ").append(r.nextInt());
        }
      }
      contents.add(c.toString());
      body.append("--").append(b).append(p % 2 == 0 ? "" : " \t").append(eol).append(c).append(eol);
    }
    body.append("--").append(b).append("--").append(eol).append("epilogue");
    String text = body.toString();
    List<MimeLayout.Part> parts = MimeLayout.parts(region(text), b, "t");
    assertThat(parts).hasSize(contents.size());
    for (int i = 0; i < parts.size(); i++) {
      assertThat(text.substring((int) parts.get(i).start(), (int) parts.get(i).end())).isEqualTo(contents.get(i));
    }
  }
}
