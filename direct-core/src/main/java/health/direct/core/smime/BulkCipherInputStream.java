package health.direct.core.smime;

import java.io.IOException;
import health.direct.core.mime.BlockInputStream;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import org.bouncycastle.crypto.io.InvalidCipherTextIOException;

/**
 * Decrypts a stream through an initialised {@link Cipher} in blocks of 64 KiB, into a buffer it
 * reuses. Bouncy Castle's and the JDK's cipher streams feed the cipher 512 bytes at a time through
 * the allocating {@code update}, which for a padded CBC decryption also copies and wipes an array
 * per call: on a 10 MiB message that cost several times the AES work itself. A bad final block
 * (wrong key, damaged content) surfaces as {@link InvalidCipherTextIOException}.
 */
final class BulkCipherInputStream extends BlockInputStream {
  private static final int BLOCK = 64 * 1024;

  private final InputStream in;
  private final Cipher cipher;
  private final byte[] input;
  private byte[] output;
  private boolean finished;

  /** @param sizeHint about how long the encrypted content is: small messages get small buffers */
  BulkCipherInputStream(InputStream in, Cipher cipher, long sizeHint) {
    this.in = in;
    this.cipher = cipher;
    this.input = new byte[(int) Math.max(1024, Math.min(BLOCK, sizeHint))];
    this.output = new byte[cipher.getOutputSize(input.length)];
  }

  /** Decrypts the next block; false once the final block has been served. */
  @Override
  protected boolean nextBlock() throws IOException {
    if (finished) {
      return false;
    }
    int n = in.read(input);
    int produced;
    try {
      if (n < 0) {
        finished = true;
        ensureOutput(cipher.getOutputSize(0));
        produced = cipher.doFinal(output, 0);
      } else {
        produced = update(n);
      }
    } catch (GeneralSecurityException e) {
      throw new InvalidCipherTextIOException("the encrypted content does not decrypt (" + e.getMessage() + ")", e);
    }
    serve(output, 0, produced);
    return true;
  }

  /**
   * Decrypts {@code input[0, n)} into the buffer, growing it only when the cipher says it is short.
   * Sizing it by {@code getOutputSize} up front would allocate ever larger buffers for a cipher that
   * holds everything until the end (the JDK's GCM decryption), though it writes nothing until then.
   */
  private int update(int n) throws GeneralSecurityException {
    try {
      return cipher.update(input, 0, n, output, 0);
    } catch (ShortBufferException e) {
      ensureOutput(cipher.getOutputSize(n));
      return cipher.update(input, 0, n, output, 0);
    }
  }

  private void ensureOutput(int size) {
    if (output.length < size) {
      output = new byte[size];
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
