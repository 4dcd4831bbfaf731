package health.direct.cli;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.io.SecureFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a message's text comes from: {@code --body}, {@code --body-file FILE}, {@code --body-file -}
 * (standard input), or, when none is given, the user's editor ({@code $VISUAL}, else {@code $EDITOR})
 * on an owner-only file that is removed afterwards.
 */
final class BodyInput {
  private BodyInput() {}

  static String read(String text, Path file, String template, Path work, Map<String, String> env, InputStream stdin) {
    if (text != null) {
      return text;
    }
    if (file != null && file.toString().equals("-")) {
      try {
        return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new DirectException(Problem.IO, "cannot read the text from standard input: " + e.getMessage(), e);
      }
    }
    if (file != null) {
      return new String(InputFiles.read(file), StandardCharsets.UTF_8);
    }
    return edit(template, work, env);
  }

  private static String edit(String template, Path work, Map<String, String> env) {
    String editor = firstSet(env.get("VISUAL"), env.get("EDITOR"));
    if (editor == null) {
      throw new DirectException(Problem.USAGE, "no text given: use --body TEXT, --body-file FILE, "
          + "--body-file - (standard input), or set $EDITOR to write it in your editor");
    }
    Path draft = SecureFiles.privateTempFile(work, "draft");
    try {
      SecureFiles.writeAtomically(draft, template.getBytes(StandardCharsets.UTF_8));
      List<String> cmd = new ArrayList<>(List.of("sh", "-c", editor + " \"$1\"", "editor", draft.toString()));
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      int code = p.waitFor();
      if (code != 0) {
        throw new DirectException(Problem.USAGE, "the editor (" + editor + ") exited with " + code + ": nothing sent");
      }
      String written = Files.readString(draft, StandardCharsets.UTF_8);
      if (written.strip().isEmpty() || written.equals(template)) {
        throw new DirectException(Problem.USAGE, "the text was left " + (written.strip().isEmpty() ? "empty" : "unchanged")
            + " in the editor: nothing sent");
      }
      return written;
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot run the editor (" + editor + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DirectException(Problem.USAGE, "interrupted while the editor was open: nothing sent");
    } finally {
      SecureFiles.deleteQuietly(draft);
    }
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
