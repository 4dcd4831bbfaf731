package health.direct.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time scans agree with a plain byte loop wherever the byte sits. */
class ByteScanTest {

  @Test
  void indexOfFindsTheFirstMatchAtEveryOffset() {
    for (int len = 0; len < 40; len++) {
      for (int at = 0; at < len; at++) {
        byte[] a = new byte[len];
        java.util.Arrays.fill(a, (byte) 'x');
        a[at] = '\n';
        if (at + 3 < len) {
          a[at + 3] = '\n'; // a later match must not win
        }
        for (int from = 0; from <= at; from++) {
          assertThat(ByteScan.indexOf(a, from, len, (byte) '\n')).as("len %d at %d from %d", len, at, from).isEqualTo(at);
        }
        assertThat(ByteScan.indexOf(a, 0, at, (byte) '\n')).as("stops at 'to'").isEqualTo(-1);
      }
    }
  }

  @Test
  void indexOfIsNotFooledByNeighbouringBytes() {
    // 0x0B and 0x09 differ from '\n' (0x0A) by one bit; 0x8A has the same low bits; 0x0A after 0x00 tests borrows
    byte[] a = {0x0B, 0x09, (byte) 0x8A, 0x00, 0x01, 0x0B, 0x00, 0x00, (byte) 0xFF, 0x0A};
    assertThat(ByteScan.indexOf(a, 0, a.length, (byte) '\n')).isEqualTo(9);
    assertThat(ByteScan.indexOf(a, 0, a.length, (byte) 0x8A)).isEqualTo(2);
    assertThat(ByteScan.indexOf(a, 0, a.length, (byte) 0)).isEqualTo(3);
  }

  @Test
  void bodyShapeMatchesAByteLoopOnRandomText() {
    Random r = new Random(11);
    byte[] alphabet = "ab\r\n\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    for (int round = 0; round < 2000; round++) {
      byte[] body = new byte[r.nextInt(60)];
      for (int i = 0; i < body.length; i++) {
        // mostly plain text, sometimes a line break or an 8-bit byte
        int k = r.nextInt(20);
        body[i] = k < 16 ? alphabet[k % 2] : alphabet[k - 16 < 3 ? 2 + (k - 16) % 2 : 4];
      }
      assertThat(BodyShape.of(body, 0, body.length)).as(new String(body, StandardCharsets.ISO_8859_1))
          .isEqualTo(slowShape(body));
    }
  }

  @Test
  void bodyShapeSeesACrAtTheEndOfAWordFollowedByTextInTheNext() {
    byte[] body = "abcdefg\rhijklmno\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(BodyShape.of(body, 0, body.length)).isEqualTo(new BodyShape(false, false));
    byte[] fine = "abcdefg\r\nijklmno\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(BodyShape.of(fine, 0, fine.length)).isEqualTo(new BodyShape(false, true));
    byte[] highInWord = "abcdefgh\u00e9jklmnop\r\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(BodyShape.of(highInWord, 0, highInWord.length)).isEqualTo(new BodyShape(true, true));
  }

  private static BodyShape slowShape(byte[] body) {
    boolean eightBit = false;
    boolean crlfOnly = true;
    byte prev = 0;
    for (byte b : body) {
      if (b < 0) {
        eightBit = true;
      } else if (b == '\n') {
        crlfOnly &= prev == '\r';
      } else if (prev == '\r') {
        crlfOnly = false;
      }
      prev = b;
    }
    return new BodyShape(eightBit, crlfOnly && prev != '\r');
  }
}
