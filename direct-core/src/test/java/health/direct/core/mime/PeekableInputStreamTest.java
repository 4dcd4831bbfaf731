package health.direct.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Peeking consumes nothing; single-byte, small and large reads return the stream in order. */
class PeekableInputStreamTest {

  @Test
  void peekThenReadReturnsEveryByteOnceInOrder() throws IOException {
    byte[] data = new byte[300_000];
    new Random(3).nextBytes(data);
    PeekableInputStream in = new PeekableInputStream(new ByteArrayInputStream(data), 1024);
    assertThat(in.peek(64)).isEqualTo(Arrays.copyOf(data, 64));
    assertThat(in.peek(10)).isEqualTo(Arrays.copyOf(data, 10));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Random r = new Random(4);
    int b;
    while (true) {
      int mode = r.nextInt(3);
      if (mode == 0) {
        if ((b = in.read()) < 0) {
          break;
        }
        out.write(b);
      } else {
        byte[] buf = new byte[mode == 1 ? 1 + r.nextInt(100) : 2048 + r.nextInt(5000)];
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
      }
    }
    assertThat(out.toByteArray()).isEqualTo(data);
  }

  @Test
  void peekingPastTheEndReturnsWhatThereIs() throws IOException {
    PeekableInputStream in = new PeekableInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), 256);
    assertThat(in.peek(64)).containsExactly(1, 2, 3);
    assertThat(in.read()).isEqualTo(1);
  }
}
