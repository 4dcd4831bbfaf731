package health.direct.core.store;

import health.direct.core.io.SecureFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The folder holding one user's local state: identities (private keys, encrypted), trust anchors,
 * the address book and settings. Chosen by {@code --home}, else {@code $DIRECT_HOME}, else
 * {@code $XDG_DATA_HOME/direct}, else {@code ~/.local/share/direct}. Created owner-only.
 *
 * <pre>{@code
 * DirectHome home = DirectHome.locate(Optional.empty(), System.getenv()).create();
 * }</pre>
 */
public record DirectHome(Path root) {

  public static DirectHome locate(Optional<Path> flag, Map<String, String> env) {
    if (flag.isPresent()) {
      return new DirectHome(flag.get().toAbsolutePath());
    }
    String direct = env.get("DIRECT_HOME");
    if (direct != null && !direct.isBlank()) {
      return new DirectHome(Path.of(direct).toAbsolutePath());
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return new DirectHome(Path.of(xdg, "direct").toAbsolutePath());
    }
    return new DirectHome(Path.of(System.getProperty("user.home"), ".local", "share", "direct"));
  }

  /** Creates the folder and its sub-folders, owner-only. */
  public DirectHome create() {
    SecureFiles.privateDirectory(root);
    SecureFiles.privateDirectory(identities());
    SecureFiles.privateDirectory(anchors());
    SecureFiles.privateDirectory(contacts());
    SecureFiles.privateDirectory(work());
    // plaintext a killed command left in work/ goes before anything else runs
    SecureFiles.sweepLeftovers(work());
    return this;
  }

  public Path identities() {
    return root.resolve("identities");
  }

  public Path anchors() {
    return root.resolve("anchors");
  }

  public Path contacts() {
    return root.resolve("contacts");
  }

  /** Scratch space for decrypted content in flight: owner-only, emptied after each use. */
  public Path work() {
    return root.resolve("work");
  }

  /** The local mailbox: Maildir folders and their index. */
  public Path mail() {
    return root.resolve("mail");
  }

  /** Sealed messages waiting for delivery, with each recipient's state. */
  public Path outbox() {
    return root.resolve("outbox");
  }

  public Path configFile() {
    return root.resolve("config.properties");
  }

  /**
   * Whether anything here is encrypted under the store password yet (a key or a stored secret);
   * until then the password is being chosen, and a person is asked for it twice.
   */
  public boolean holdsEncryptedData() {
    if (java.nio.file.Files.exists(root.resolve("secrets.p12"))) {
      return true;
    }
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(identities())) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".p12"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
