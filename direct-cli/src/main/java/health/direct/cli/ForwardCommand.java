package health.direct.cli;

import health.direct.app.mail.MailFolders;
import health.direct.core.compose.Draft;
import health.direct.core.mailbox.Mailbox;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
  @Mixin
  MessageRef message;
  @Mixin
  TextOptions options;

  @Option(names = "--to", required = true, paramLabel = "ADDR", description = "Recipient (repeatable).")
  List<String> to = new ArrayList<>();

  @Option(names = "--cc", paramLabel = "ADDR", description = "Copy recipient (repeatable).")
  List<String> cc = new ArrayList<>();

  @Option(names = "--strict", description = "Exit 18 when some recipients were not sent the message.")
  boolean strict;

  @Override
  public Integer call() {
    FolderRef ref = message.ref();
    CliContext ctx = root.context();
    Draft d;
    try (Mailbox box = ctx.mailbox()) {
      d = new MailFolders(box).forward(ref.folder(), ref.number(), () -> SendCommand.sender(ctx, options.from),
          SendCommand.addresses(to), SendCommand.addresses(cc), () -> options.read(ctx, root));
    }
    return Submitting.submit(ctx, d, new Submitting.Mode(options.queueOnly, strict, options.json, options.quiet), spec.commandLine());
  }
}
