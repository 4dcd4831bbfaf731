package health.direct.cli;

import health.direct.app.mail.MailFolders;
import health.direct.core.compose.Draft;
import health.direct.core.mailbox.Mailbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
  @Mixin
  MessageRef message;
  @Mixin
  TextOptions options;

  @Option(names = "--all", description = "Answer every recipient of the message, not only its sender.")
  boolean all;

  @Override
  public Integer call() {
    FolderRef ref = message.ref();
    CliContext ctx = root.context();
    Draft d;
    try (Mailbox box = ctx.mailbox()) {
      d = new MailFolders(box).reply(ref.folder(), ref.number(), () -> SendCommand.sender(ctx, options.from), all,
          () -> options.read(ctx, root));
    }
    return Submitting.submit(ctx, d, new Submitting.Mode(options.queueOnly, false, options.json, options.quiet), spec.commandLine());
  }
}
