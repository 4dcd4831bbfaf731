package health.direct.core.store;

import health.direct.core.io.SecureFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Small secrets the client needs, such as the mail server password (risk 7): kept in
 * {@code secrets.p12}, a PKCS#12 file whose entries are encrypted under the store password
 * (PBES2, PBKDF2-HMAC-SHA256, AES-256), owner-only. Never in the plain configuration file.
 *
 * <pre>{@code
 * secrets.put("fetch.password", "imap-secret".toCharArray());
 * Optional<char[]> pw = secrets.get("fetch.password");
 * }</pre>
 */
public final class SecretStore {
  private static final String PROTECTION = "PBEWithHmacSHA256AndAES_256";
  private static final int ITERATIONS = 100_000;

  private final Path file;
  private final PasswordSource password;

  public SecretStore(DirectHome home, PasswordSource password) {
    this.file = home.root().resolve("secrets.p12");
    this.password = password;
  }

  public void put(String name, char[] secret) {
    char[] pw = password.get();
    byte[] bytes = utf8(secret);
    try {
      KeyStore ks = load(pw);
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      ks.setEntry(name, new KeyStore.SecretKeyEntry(new SecretKeySpec(bytes, "AES")),
          new KeyStore.PasswordProtection(pw, PROTECTION, new PBEParameterSpec(salt, ITERATIONS)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ks.store(out, pw);
      SecureFiles.writeAtomically(file, out.toByteArray());
    } catch (GeneralSecurityException | IOException e) {
      throw new StoreException("cannot save the secret '" + name + "' in " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(pw, '\0');
      Arrays.fill(bytes, (byte) 0);
    }
  }

  public Optional<char[]> get(String name) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    char[] pw = password.get();
    try {
      KeyStore ks = load(pw);
      if (!ks.containsAlias(name)) {
        return Optional.empty();
      }
      KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(name, new KeyStore.PasswordProtection(pw));
      byte[] bytes = e.getSecretKey().getEncoded();
      CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
      Arrays.fill(bytes, (byte) 0);
      char[] out = Arrays.copyOf(chars.array(), chars.limit());
      Arrays.fill(chars.array(), '\0');
      return Optional.of(out);
    } catch (GeneralSecurityException | IOException e) {
      throw new StoreException("cannot open " + file + ": the store password is wrong or the file is damaged", e);
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private KeyStore load(char[] pw) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    if (Files.exists(file)) {
      ks.load(new ByteArrayInputStream(Files.readAllBytes(file)), pw);
    } else {
      ks.load(null, null);
    }
    return ks;
  }

  private static byte[] utf8(char[] secret) {
    ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
    byte[] out = Arrays.copyOf(b.array(), b.limit());
    Arrays.fill(b.array(), (byte) 0);
    return out;
  }
}
