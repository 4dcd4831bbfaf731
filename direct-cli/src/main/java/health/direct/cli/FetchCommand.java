package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import health.direct.transport.fetch.FetchReport;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct fetch}: new mail from the IMAP or POP3 server into the inbox or the quarantine. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = "Fetch new messages (IMAP or POP3, TLS by default), open each one, and store trusted ones in the "
        + "inbox and everything else in the quarantine with the reason. A message leaves the server only after it "
        + "is on disk.")
final class FetchCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Option(names = "--quiet", description = "No progress for large messages (on a terminal a line; with --json, "
      + "JSON lines on standard error; nothing when the output is not a terminal).")
  boolean quiet;

  /** One line on the terminal, rewritten in place: which message, how much of it, how fast. */
  private health.direct.transport.fetch.FetchProgress progress() {
    ProgressLine line = ProgressLine.on(spec.commandLine().getErr(), "fetch", quiet, json);
    if (line.silent()) {
      return health.direct.transport.fetch.FetchProgress.NONE;
    }
    return (n, of, bytes, size) -> {
      line.message(n, of);
      if (bytes >= size) {
        line.done("fetched message " + n + " of " + of + ",", bytes);
      } else {
        line.show("fetching message " + n + " of " + of, bytes, size);
      }
    };
  }

  @Override
  public Integer call() {
    CliContext ctx = root.context();
    try (Mailbox mailbox = ctx.mailbox()) {
      FetchReport r = MailRounds.fetch(ctx, mailbox, spec.commandLine().getErr(), progress());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("alreadyStored", r.alreadyStored());
        r.leftForLater().forEach(n.putArray("leftForLater")::add);
        var a = n.putArray("stored");
        r.stored().forEach(m -> MailboxCommands.json(a.addObject(), m));
        out.println(n);
      } else {
        java.time.ZoneId zone = Times.zone(root.env);
        java.util.List<StoredMessage> mail = r.stored().stream()
            .filter(m -> m.folder() != health.direct.core.mailbox.Folder.RECEIPTS).toList();
        java.util.List<StoredMessage> notices = r.stored().stream()
            .filter(m -> m.folder() == health.direct.core.mailbox.Folder.RECEIPTS).toList();
        out.printf("fetched %d new message(s)%s%s%n", mail.size(),
            notices.isEmpty() ? "" : " and " + notices.size() + " delivery notification(s)",
            r.alreadyStored() > 0 ? "; " + r.alreadyStored() + " already stored" : "");
        for (StoredMessage m : mail) {
          MailboxCommands.line(out, m, zone, true);
        }
        for (String l : r.leftForLater()) {
          out.println("left on the server for the next fetch: " + Printing.safe(l));
        }
        if (!notices.isEmpty()) {
          out.println("notifications ('direct status' shows what they mean for each message):");
          for (StoredMessage m : notices) {
            MailboxCommands.line(out, m, zone, true);
          }
        }
      }
      return 0;
    }
  }
}
