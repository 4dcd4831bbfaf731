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

  /** {@code p}, after checking that it is a file that can be read: a missing input is an I/O problem naming it. */
  static Path existing(Path p) {
    if (!java.nio.file.Files.isRegularFile(p)) {
      throw new DirectException(Problem.IO, java.nio.file.Files.exists(p) ? p + " is not a file" : "no such file: " + p);
    }
    if (!java.nio.file.Files.isReadable(p)) {
      throw new DirectException(Problem.IO, "cannot read " + p + ": permission denied");
    }
    return p;
  }
}
