package health.direct.cli;

import health.direct.app.mail.MailFolders;
import health.direct.core.compose.Draft;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Mailbox;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct reply [FOLDER] N}: answer a stored message in its thread, sealed like any other. */
@Command(name = "reply", mixinStandardHelpOptions = true,
    description = {"Answer a message: to its sender (with --all, to its other recipients too), subject 'Re: ...', "
        + "In-Reply-To and References kept, its text quoted below yours. Sent exactly as 'direct send' sends.",
        "A quarantined message is not answered: its sender is not verified."})
final class ReplyCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..2", paramLabel = FolderRef.LABEL, description = FolderRef.HELP)
  List<String> message;

  @Option(names = "--all", description = "Answer every recipient of the message, not only its sender.")
  boolean all;

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

  @Override
  public Integer call() {
    FolderRef ref = FolderRef.parse(message);
    CliContext ctx = root.context();
    String body = BodyInput.read(text, file, "", ctx.home.work(), root.env, root.stdin);
    Draft d;
    try (Mailbox box = ctx.mailbox()) {
      d = new MailFolders(box).reply(ref.folder(), ref.number(), SendCommand.sender(ctx, from), all, body);
    }
    Path plain = Submitting.compose(ctx, d);
    try {
      return Submitting.submit(ctx, plain, queueOnly, false, json, spec.commandLine());
    } finally {
      SecureFiles.deleteQuietly(plain);
    }
  }
}
