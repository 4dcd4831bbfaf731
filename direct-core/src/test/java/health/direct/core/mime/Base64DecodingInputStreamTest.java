package health.direct.core.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The bulk base64 decoder agrees with the JDK's MIME decoder on every shape of input. */
class Base64DecodingInputStreamTest {

  static byte[] decode(byte[] text, int readSize) throws IOException {
    try (InputStream in = new Base64DecodingInputStream(new ByteArrayInputStream(text))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[readSize];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 57, 58, 59, 1000, 65_535, 65_536, 200_001})
  void matchesTheJdkForEveryLengthAndLineWidth(int size) throws IOException {
    Random r = new Random(size);
    byte[] data = new byte[size];
    r.nextBytes(data);
    for (int width : new int[] {76, 64, 4}) {
      byte[] text = Base64.getMimeEncoder(width, "\r\n".getBytes(StandardCharsets.US_ASCII)).encode(data);
      assertThat(decode(text, 1 + r.nextInt(9000))).as("width " + width).isEqualTo(data);
    }
    byte[] lf = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encode(data);
    assertThat(decode(lf, 7)).isEqualTo(data);
  }

  @Test
  void toleratesWhiteSpaceMissingPaddingAndTrailingText() throws IOException {
    byte[] hello = "hello world".getBytes(StandardCharsets.US_ASCII);
    assertThat(decode(" aGVs bG8g\r\n\td29y bGQ= \r\n".getBytes(StandardCharsets.US_ASCII), 100)).isEqualTo(hello);
    assertThat(decode("aGVsbG8gd29ybGQ".getBytes(StandardCharsets.US_ASCII), 3)).isEqualTo(hello);
    assertThat(decode("aGVsbG8gd29ybGQ=\r\n--boundary--\r\n".getBytes(StandardCharsets.US_ASCII), 100)).isEqualTo(hello);
    assertThat(decode(new byte[0], 10)).isEmpty();
  }

  @Test
  void aLoneTrailingCharacterIsAnError() {
    assertThatThrownBy(() -> decode("aGVsbG8gd".getBytes(StandardCharsets.US_ASCII), 100))
        .isInstanceOf(MalformedEncodingException.class).hasMessageContaining("ends in the middle of a 4-character group");
  }

  @Test
  void groupsSplitAcrossShortReadsDecodeTheSame() throws IOException {
    Random r = new Random(7);
    byte[] data = new byte[10_000];
    r.nextBytes(data);
    byte[] text = Base64.getMimeEncoder().encode(data);
    // the source hands over one to five bytes per read, so groups and line breaks straddle reads
    InputStream trickle = new ByteArrayInputStream(text) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1 + r.nextInt(5)));
      }
    };
    try (InputStream in = new Base64DecodingInputStream(trickle)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void paddingAfterASingleCharacterIsAnError() {
    assertThatThrownBy(() -> decode("aGVsbG8gd===".getBytes(StandardCharsets.US_ASCII), 100))
        .isInstanceOf(MalformedEncodingException.class).hasMessageContaining("padding after a single character");
  }

  @Test
  void strayCharactersInsideAGroupAreSkipped() throws IOException {
    byte[] hello = "hello world".getBytes(StandardCharsets.US_ASCII);
    assertThat(decode("aG!Vs*bG8égd29y.bGQ=".getBytes(StandardCharsets.ISO_8859_1), 100)).isEqualTo(hello);
  }

  @Test
  void agreesWithASimpleReferenceOnRandomlyMangledText() throws IOException {
    // line lengths that do and do not match a group, every kind of line break, stray characters,
    // padding with text after it, and reads of every size: the fast and the tolerant path must agree
    Random r = new Random(2045);
    byte[] strays = {' ', '\t', '!', '*', '.', (byte) 0xE9, 0};
    String[] breaks = {"\r\n", "\n", "\r"};
    for (int round = 0; round < 400; round++) {
      byte[] data = new byte[r.nextInt(3000)];
      r.nextBytes(data);
      byte[] encoded = Base64.getEncoder().encode(data);
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      int width = 1 + r.nextInt(100);
      String lineBreak = breaks[r.nextInt(breaks.length)];
      for (int i = 0; i < encoded.length; i++) {
        if (i > 0 && i % width == 0) {
          text.writeBytes(lineBreak.getBytes(StandardCharsets.US_ASCII));
        }
        if (r.nextInt(200) == 0) {
          text.write(strays[r.nextInt(strays.length)]);
        }
        text.write(encoded[i]);
      }
      if (r.nextBoolean()) {
        text.writeBytes("\r\n--boundary--\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      byte[] in = text.toByteArray();
      int chunk = 1 + r.nextInt(r.nextBoolean() ? 7 : 70_000);
      assertThat(decodeInChunks(in, chunk)).as("round " + round).isEqualTo(reference(in));
    }
  }

  /** Keeps alphabet characters up to the first '=', pads the last group, decodes: RFC 2045 in five lines. */
  private static byte[] reference(byte[] text) {
    StringBuilder kept = new StringBuilder();
    for (byte b : text) {
      if (b == '=') {
        break;
      }
      if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/') {
        kept.append((char) b);
      }
    }
    while (kept.length() % 4 != 0) {
      kept.append('=');
    }
    return Base64.getDecoder().decode(kept.toString());
  }

  private static byte[] decodeInChunks(byte[] text, int chunk) throws IOException {
    InputStream source = new ByteArrayInputStream(text) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
    try (InputStream in = new Base64DecodingInputStream(source, text.length)) {
      return in.readAllBytes();
    }
  }
}
