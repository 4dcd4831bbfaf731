package health.direct.cli;

import health.direct.app.mail.MailFolders;
import health.direct.core.compose.Draft;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Mailbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct forward [FOLDER] N --to ADDR}: pass a stored message on, whole, sealed for the new recipients. */
@Command(name = "forward", mixinStandardHelpOptions = true,
    description = {"Pass a message on: the original travels whole (as message/rfc822, with its attachments), "
        + "subject 'Fwd: ...', your text first. Sealed for each new recipient exactly as 'direct send' does.",
        "A quarantined message is not forwarded: it failed security."})
final class ForwardCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..2", paramLabel = FolderRef.LABEL, description = FolderRef.HELP)
  List<String> message;

  @Option(names = "--to", required = true, paramLabel = "ADDR", description = "Recipient (repeatable).")
  List<String> to = new ArrayList<>();

  @Option(names = "--cc", paramLabel = "ADDR", description = "Copy recipient (repeatable).")
  List<String> cc = new ArrayList<>();

  @Option(names = "--from", paramLabel = "ADDR", description = "Sender (default: account.address, else the only identity).")
  String from;

  @Option(names = "--body", paramLabel = "TEXT", description = "Your text before the forwarded message.")
  String text;

  @Option(names = "--body-file", paramLabel = "FILE",
      description = "File holding your text; '-' reads standard input. With neither, $VISUAL or $EDITOR opens.")
  Path file;

  @Option(names = "--queue-only", description = "Queue without delivering now (the agent delivers it).")
  boolean queueOnly;

  @Option(names = "--strict", description = "Exit 18 when some recipients were not sent the message.")
  boolean strict;

  @Option(names = "--json", description = "Print the result as JSON (as 'direct send --json').")
  boolean json;

  @Override
  public Integer call() {
    FolderRef ref = FolderRef.parse(message);
    CliContext ctx = root.context();
    String body = BodyInput.read(text, file, "", ctx.home.work(), root.env, root.stdin);
    Draft d;
    try (Mailbox box = ctx.mailbox()) {
      d = new MailFolders(box).forward(ref.folder(), ref.number(), SendCommand.sender(ctx, from),
          SendCommand.addresses(to), SendCommand.addresses(cc), body);
    }
    Path plain = Submitting.compose(ctx, d);
    try {
      return Submitting.submit(ctx, plain, queueOnly, strict, json, spec.commandLine());
    } finally {
      SecureFiles.deleteQuietly(plain);
    }
  }
}
