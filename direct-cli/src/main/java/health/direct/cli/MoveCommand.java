package health.direct.cli;

import health.direct.app.mail.MailFolders;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct move [FOLDER] N --to FOLDER}. */
@Command(name = "move", mixinStandardHelpOptions = true,
    description = {"File a message in another folder (inbox <-> archive; receipts -> archive). The move is recorded "
        + "in the mailbox history that 'direct audit' shows.",
        "The sent folder (the record of disclosures) and the quarantine (mail that failed security) are never "
            + "filed elsewhere."})
final class MoveCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  MessageRef message;

  @Option(names = "--to", required = true, paramLabel = "FOLDER", description = "Where to (archive or inbox).")
  String to;

  @Override
  public Integer call() {
    FolderRef ref = message.ref();
    try (Mailbox box = root.context().mailbox()) {
      StoredMessage m = new MailFolders(box).move(ref.folder(), ref.number(), FolderRef.folder(to));
      spec.commandLine().getOut().printf("moved %s to the %s folder as message %d%n", ref, m.folder().dirName(),
          m.number());
    }
    return 0;
  }
}
