package health.direct.core.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.Provider;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.io.InvalidCipherTextIOException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/** Block-wise decryption gives exactly what one doFinal gives, and a bad tag or padding is an error. */
class BulkCipherInputStreamTest {
  private static final Provider BC = new BouncyCastleProvider();
  private static final SecretKeySpec KEY = new SecretKeySpec(new byte[32], "AES");

  @Test
  void cbcDecryptsWhateverTheReadSizes() throws Exception {
    byte[] plain = random(300_001);
    byte[] iv = new byte[16];
    byte[] sealed = cipher("AES/CBC/PKCS5Padding", null, Cipher.ENCRYPT_MODE, new IvParameterSpec(iv)).doFinal(plain);
    for (long hint : new long[] {100, 70_000, 10_000_000}) {
      Cipher d = cipher("AES/CBC/PKCS5Padding", null, Cipher.DECRYPT_MODE, new IvParameterSpec(iv));
      assertThat(readOddly(new BulkCipherInputStream(new ByteArrayInputStream(sealed), d, hint))).isEqualTo(plain);
    }
  }

  @Test
  void aCipherThatReleasesMoreThanItWasGivenGetsALargerBuffer() throws Exception {
    // Bouncy Castle's GCM holds back the last 16 bytes of each update and releases them with the
    // next one, so an update can return more bytes than the buffer was first sized for
    byte[] plain = random(500_000);
    GCMParameterSpec gcm = new GCMParameterSpec(128, new byte[12]);
    byte[] sealed = cipher("AES/GCM/NoPadding", BC, Cipher.ENCRYPT_MODE, gcm).doFinal(plain);
    Cipher d = cipher("AES/GCM/NoPadding", BC, Cipher.DECRYPT_MODE, gcm);
    assertThat(readOddly(new BulkCipherInputStream(new ByteArrayInputStream(sealed), d, sealed.length)))
        .isEqualTo(plain);
  }

  @Test
  void aBadTagOrBadPaddingIsAnInvalidCipherTextError() throws Exception {
    byte[] plain = random(100_000);
    GCMParameterSpec gcm = new GCMParameterSpec(128, new byte[12]);
    byte[] sealed = cipher("AES/GCM/NoPadding", null, Cipher.ENCRYPT_MODE, gcm).doFinal(plain);
    sealed[50_000] ^= 1;
    Cipher d = cipher("AES/GCM/NoPadding", null, Cipher.DECRYPT_MODE, gcm);
    assertThatThrownBy(() -> new BulkCipherInputStream(new ByteArrayInputStream(sealed), d, sealed.length).readAllBytes())
        .isInstanceOf(InvalidCipherTextIOException.class).hasMessageContaining("does not decrypt");

    byte[] cbc = cipher("AES/CBC/PKCS5Padding", null, Cipher.ENCRYPT_MODE, new IvParameterSpec(new byte[16])).doFinal(plain);
    byte[] truncated = java.util.Arrays.copyOf(cbc, cbc.length - 5); // not a whole block
    Cipher c = cipher("AES/CBC/PKCS5Padding", null, Cipher.DECRYPT_MODE, new IvParameterSpec(new byte[16]));
    assertThatThrownBy(() -> new BulkCipherInputStream(new ByteArrayInputStream(truncated), c, truncated.length)
        .readAllBytes()).isInstanceOf(InvalidCipherTextIOException.class);
  }

  private static Cipher cipher(String name, Provider p, int mode, java.security.spec.AlgorithmParameterSpec spec)
      throws Exception {
    Cipher c = p == null ? Cipher.getInstance(name) : Cipher.getInstance(name, p);
    c.init(mode, KEY, spec);
    return c;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** Reads with single bytes and odd-sized arrays in turn. */
  private static byte[] readOddly(InputStream in) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Random r = new Random(1);
    byte[] buf = new byte[9000];
    while (true) {
      if (r.nextInt(4) == 0) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        out.write(b);
      } else {
        int n = in.read(buf, 0, 1 + r.nextInt(buf.length));
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }
}
