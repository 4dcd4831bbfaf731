package health.direct.core.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeaderSummaryTest {
  @TempDir
  Path dir;

  @Test
  void aHeaderBlockOfManyMegabytesIsSummarisedFromItsFirstMebibyteOnly() throws Exception {
    Path m = dir.resolve("hostile.eml");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(m))) {
      out.write("From: someone@elsewhere.example\r\nSubject: hello\r\nMessage-ID: <h@elsewhere.example>\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      byte[] line = ("X-Filler: " + "a".repeat(90) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 200_000; i++) { // 20 MB of headers
        out.write(line);
      }
      out.write("\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    MessageSummary s = HeaderSummary.of(m, "unsecured", "not signed");

    assertThat(s.subject()).isEqualTo("hello");
    assertThat(s.messageId()).isEqualTo("<h@elsewhere.example>");
    assertThat(HeaderSummary.headers(m)).hasValueSatisfying(h -> assertThat(h.getHeader("X-Filler")).hasSizeLessThan(12_000));
  }
}
