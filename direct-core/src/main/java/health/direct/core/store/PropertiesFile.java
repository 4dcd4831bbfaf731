package health.direct.core.store;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads a settings file in UTF-8 properties syntax; a file that cannot be read or parsed is a
 * configuration error naming it.
 *
 * <pre>{@code
 * Optional<Properties> p = PropertiesFile.read(home.configFile(), "the settings");
 * }</pre>
 */
public final class PropertiesFile {
  private PropertiesFile() {}

  /** The file's properties, or empty when there is no such file (the defaults apply). */
  public static Optional<Properties> read(Path file, String what) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new DirectException(Problem.CONFIG, "cannot read " + what + " " + file
          + ": it is not UTF-8 text; save it as UTF-8", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new DirectException(Problem.CONFIG, "cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
    return Optional.of(p);
  }

  /** Replaces {@code file} with {@code p} (owner-only, atomically and synced), headed by {@code comment}. */
  public static void write(Path file, Properties p, String comment) {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      p.store(w, comment);
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot write " + file + ": " + e.getMessage(), e);
    }
    health.direct.core.io.SecureFiles.writeAtomically(file, w.toString().getBytes(StandardCharsets.UTF_8));
  }
}
