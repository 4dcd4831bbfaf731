package health.direct.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bulk encoder and line-end canonicaliser agree with straightforward references. */
class StreamCodecsTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 56, 57, 58, 114, 58_367, 58_368, 58_369, 300_000})
  void base64EncoderMatchesTheJdkMimeEncoderWhateverTheWriteSizes(int size) throws IOException {
    Random r = new Random(size);
    byte[] data = new byte[size];
    r.nextBytes(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Base64EncodingOutputStream enc = new Base64EncodingOutputStream(out)) {
      int off = 0;
      while (off < size) {
        int n = Math.min(size - off, 1 + r.nextInt(70_000));
        enc.write(data, off, n);
        off += n;
      }
    }
    byte[] expected = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(data);
    assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
        .isEqualTo(new String(expected, StandardCharsets.US_ASCII));
  }

  static String reference(String s) {
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
  }

  @Test
  void crlfCanonicaliserMatchesTheReferenceAtEverySplitPoint() throws IOException {
    String text = "a\r\nb\nc\rd\r\r\ne\n\nf\r";
    for (int split = 0; split <= text.length(); split++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CrlfOutputStream c = new CrlfOutputStream(out);
      byte[] b = text.getBytes(StandardCharsets.US_ASCII);
      c.write(b, 0, split);
      c.write(b, split, b.length - split);
      c.finish();
      assertThat(out.toString(StandardCharsets.US_ASCII)).as("split at " + split).isEqualTo(reference(text));
    }
  }

  @Test
  void crlfCanonicaliserOnRandomText() throws IOException {
    Random r = new Random(7);
    char[] alphabet = {'a', 'b', '\r', '\n', ' '};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      sb.append(alphabet[r.nextInt(alphabet.length)]);
    }
    String text = sb.toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CrlfOutputStream c = new CrlfOutputStream(out);
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    for (int off = 0; off < b.length; ) {
      int n = Math.min(b.length - off, 1 + r.nextInt(5000));
      c.write(b, off, n);
      off += n;
    }
    c.finish();
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(reference(text));
  }
}
