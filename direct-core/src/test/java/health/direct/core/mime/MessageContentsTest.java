package health.direct.core.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageContentsTest {
  @TempDir
  Path dir;

  private Path file(String text) throws Exception {
    return Files.writeString(dir.resolve("m" + System.nanoTime() + ".eml"), text, StandardCharsets.ISO_8859_1);
  }

  private static final String HEAD = "From: lab@clinic.example\r\nTo: bob@clinic.example\r\nSubject: =?UTF-8?Q?R=C3=A9sultats?=\r\n"
      + "Message-ID: <r1@clinic.example>\r\nMIME-Version: 1.0\r\n";

  @Test
  void theTextForwardedMessagesAndAttachmentsComeInOrderWithDecodedHeadersAndSafeFileNames() throws Exception {
    Path m = file(HEAD + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        + "--b\r\nContent-Type: application/pdf; name=\"../../etc/passwd\"\r\nContent-Disposition: attachment; "
        + "filename=\"../../etc/passwd\"\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n"
        + "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: carol@hospital.example\r\nSubject: earlier\r\n\r\nolder text\r\n"
        + "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"..\"\r\n\r\nxyz\r\n"
        + "--b--\r\n");

    try (MessageContents c = MessageContents.read(m, MimeLimits.defaults())) {
      assertThat(c.headers().subject()).contains("Résultats");
      assertThat(c.blocks()).hasSize(6);
      assertThat(c.blocks().get(0)).isInstanceOfSatisfying(MessageContents.Text.class,
          t -> assertThat(t.text().strip()).isEqualTo("See attached."));
      assertThat(c.attachments()).extracting(MessageContents.Attachment::name).containsExactly("../../etc/passwd", "..");
      assertThat(c.attachments()).extracting(MessageContents.Attachment::fileName).containsExactly("passwd", "attachment-2");
      assertThat(c.attachments().get(0).size()).isEqualTo(5);
      assertThat(c.blocks().get(2)).isInstanceOfSatisfying(MessageContents.ForwardedStart.class,
          f -> assertThat(f.headers().subject()).contains("earlier"));
      assertThat(c.blocks().get(3)).isInstanceOfSatisfying(MessageContents.Text.class,
          t -> assertThat(t.text().strip()).isEqualTo("older text"));
      try (InputStream in = c.attachment(1)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
      }
    }
  }

  @Test
  void eachLimitRefusesTheMessageNamingItsSetting() throws Exception {
    StringBuilder deep = new StringBuilder(HEAD);
    for (int i = 0; i < 8; i++) {
      deep.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
    }
    deep.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
    StringBuilder many = new StringBuilder(HEAD + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
    for (int i = 0; i < 20; i++) {
      many.append("--b\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
    }
    many.append("--b--\r\n");
    String longHeaders = HEAD + "X-Filler: a\r\n".repeat(30) + "\r\nbody\r\n";
    String bigHeader = HEAD + "X-Filler: " + "a".repeat(5000) + "\r\n\r\nbody\r\n";
    MimeLimits tight = new MimeLimits(5, 10, 20, 4096);

    assertThatThrownBy(() -> MessageContents.read(file(deep.toString()), tight)).hasMessageContaining("mime.max-nesting");
    assertThatThrownBy(() -> MessageContents.read(file(many.toString()), tight)).hasMessageContaining("mime.max-parts");
    assertThatThrownBy(() -> MessageContents.read(file(longHeaders), tight)).hasMessageContaining("mime.max-header-lines");
    assertThatThrownBy(() -> MessageContents.read(file(bigHeader), tight)).isInstanceOfSatisfying(DirectException.class,
        e -> {
          assertThat(e.problem()).isEqualTo(Problem.MALFORMED_INPUT);
          assertThat(e.getMessage()).contains("mime.max-header-bytes").contains("--raw");
        });
    // within the defaults, all four are read
    for (String ok : new String[] {deep.toString(), many.toString(), longHeaders, bigHeader}) {
      try (MessageContents c = MessageContents.read(file(ok), MimeLimits.defaults())) {
        assertThat(c.blocks()).isNotEmpty();
      }
    }
  }

  @Test
  void aMillionHeaderLinesAreRefusedBeforeAnythingHoldsThemInMemory() throws Exception {
    Path huge = dir.resolve("huge.eml");
    try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(huge))) {
      out.write(HEAD.getBytes(StandardCharsets.US_ASCII));
      byte[] line = "X-A: b\r\n".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 1_000_000; i++) {
        out.write(line);
      }
      out.write("\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    assertThatThrownBy(() -> MessageContents.read(huge, MimeLimits.defaults()))
        .hasMessageContaining("more than 1000 header lines");
  }

  @Test
  void aBrokenStructureIsMalformedInputInWords() throws Exception {
    Path m = file(HEAD + "Content-Type: multipart/mixed\r\n\r\nno boundary anywhere\r\n");

    assertThatThrownBy(() -> MessageContents.read(m, MimeLimits.defaults())).isInstanceOfSatisfying(
        DirectException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.MALFORMED_INPUT);
          assertThat(e.getMessage()).contains("MIME structure is broken").doesNotContain("Exception");
        });
  }
}
