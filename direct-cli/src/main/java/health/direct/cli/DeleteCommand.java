package health.direct.cli;

import health.direct.app.mail.MailFolders;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct delete [FOLDER] N}. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete a message and its received original. Its headers (sender, recipients, date, Message-ID; "
        + "never its text) are recorded first in the mailbox history that 'direct audit' shows.",
        "Messages in the sent folder are kept: they are the record of what was disclosed to whom."})
final class DeleteCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  MessageRef message;

  @Override
  public Integer call() {
    FolderRef ref = message.ref();
    try (Mailbox box = root.context().mailbox()) {
      StoredMessage m = new MailFolders(box).delete(ref.folder(), ref.number());
      spec.commandLine().getOut().printf("deleted %s (%s, from %s); recorded in the mailbox history%n", ref,
          Printing.safe(String.valueOf(m.summary().messageId())), Printing.safe(String.valueOf(m.summary().from())));
    }
    return 0;
  }
}
