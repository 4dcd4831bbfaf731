package health.direct.cli;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File reading with errors a user can act on. */
final class InputFiles {
  private InputFiles() {}

  static byte[] read(Path p) {
    try {
      return java.nio.file.Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new DirectException(Problem.IO, "no such file: " + p, e);
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
