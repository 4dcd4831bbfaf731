package health.direct.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the text of a reply or forward comes from, and how it is sent; reply and forward share them. */
final class TextOptions {
  @Option(names = "--from", paramLabel = "ADDR", description = "Sender (default: account.address, else the only identity).")
  String from;

  @Option(names = "--body", paramLabel = "TEXT", description = "Your text.")
  String text;

  @Option(names = "--body-file", paramLabel = "FILE",
      description = "File holding your text; '-' reads standard input. With neither, $VISUAL or $EDITOR opens.")
  Path file;

  @Option(names = "--queue-only", description = "Queue without delivering now (the agent delivers it).")
  boolean queueOnly;

  @Option(names = "--json", description = "Print the result as JSON (as 'direct send --json').")
  boolean json;

  @Option(names = "--quiet", description = "No progress while a message of 4 MB or more goes to the server.")
  boolean quiet;

  /** The text, from the option, the file, standard input or the editor. */
  String read(CliContext ctx, DirectCommand root) {
    return BodyInput.read(text, file, "", ctx.home.work(), root.env, root.stdin);
  }
}
