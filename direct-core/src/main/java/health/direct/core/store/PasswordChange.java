package health.direct.core.store;

import health.direct.core.io.SecureFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Re-encrypts everything a home keeps under its store password (each identity's key, pending
 * keys, the secrets file) under a new one. Each file is rewritten atomically on its own, so an
 * interrupted change leaves every file whole, under either the old or the new password; running
 * the change again with the same two passwords finishes it (a file the new password already opens
 * is left as it is).
 *
 * <pre>{@code
 * PasswordChange.Result r = PasswordChange.run(home, oldPassword, newPassword);
 * }</pre>
 */
public final class PasswordChange {
  static final String PROTECTION = "PBEWithHmacSHA256AndAES_256";
  static final int ITERATIONS = 100_000;

  private PasswordChange() {}

  /** How many files were re-encrypted now, and how many were already under the new password. */
  public record Result(int reencrypted, int alreadyNew) {}

  /**
   * @throws StoreException when the old password opens none of a file's forms (nothing more is
   *     changed after the first such file; those done stay done)
   */
  public static Result run(DirectHome home, char[] oldPassword, char[] newPassword) {
    if (newPassword.length == 0) {
      throw new StoreException("the new store password is empty; choose one (a passphrase of several words is best)");
    }
    List<Path> files = files(home);
    // first prove the old password opens every file not yet changed: a wrong one changes nothing
    List<Path> todo = new ArrayList<>();
    int already = 0;
    for (Path f : files) {
      if (opens(f, newPassword)) {
        already++;
      } else if (opens(f, oldPassword)) {
        todo.add(f);
      } else {
        throw new StoreException("the current store password does not open " + f + ": nothing was changed");
      }
    }
    for (Path f : todo) {
      rewrite(f, oldPassword, newPassword);
    }
    return new Result(todo.size(), already);
  }

  private static List<Path> files(DirectHome home) {
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(home.identities())) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.identities(), "*.p12")) {
        ds.forEach(out::add);
      } catch (IOException e) {
        throw new StoreException("cannot list " + home.identities() + ": " + e.getMessage(), e);
      }
    }
    Collections.sort(out);
    Path secrets = home.root().resolve("secrets.p12");
    if (Files.exists(secrets)) {
      out.add(secrets);
    }
    return out;
  }

  private static boolean opens(Path f, char[] pw) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(new ByteArrayInputStream(Files.readAllBytes(f)), pw);
      return true;
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }

  private static void rewrite(Path f, char[] oldPw, char[] newPw) {
    try {
      KeyStore in = KeyStore.getInstance("PKCS12");
      in.load(new ByteArrayInputStream(Files.readAllBytes(f)), oldPw);
      KeyStore out = KeyStore.getInstance("PKCS12");
      out.load(null, null);
      SecureRandom random = new SecureRandom();
      for (String alias : Collections.list(in.aliases())) {
        KeyStore.Entry e = in.getEntry(alias, new KeyStore.PasswordProtection(oldPw));
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        out.setEntry(alias, e, new KeyStore.PasswordProtection(newPw, PROTECTION, new PBEParameterSpec(salt, ITERATIONS)));
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      out.store(bytes, newPw);
      SecureFiles.writeAtomically(f, bytes.toByteArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new StoreException("cannot re-encrypt " + f + ": " + e.getMessage(), e);
    }
  }
}
