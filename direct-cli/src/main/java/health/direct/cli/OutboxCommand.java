package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxEntry;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct outbox}: what is pending, retrying, delivered or failed, and why. */
@Command(name = "outbox", mixinStandardHelpOptions = true,
    description = "List queued messages with each recipient's state (pending, retrying, delivered, failed) and the "
        + "last server answer; --deliver first delivers what is due.")
final class OutboxCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--deliver", description = "Deliver what is due now, then list.")
  boolean deliver;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = root.context();
    if (deliver) {
      try (Mailbox mailbox = ctx.mailbox()) {
        MailRounds.deliver(ctx, mailbox, spec.commandLine().getErr());
      }
    }
    List<OutboxEntry> all = ctx.outbox().list();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode a = new ObjectMapper().createArrayNode();
      for (OutboxEntry e : all) {
        ObjectNode n = a.addObject().put("id", e.id()).put("messageId", e.messageId()).put("from", e.from().toString())
            .put("created", e.createdAt().toString());
        ArrayNode rs = n.putArray("recipients");
        for (OutboxEntry.RecipientState r : e.recipients()) {
          rs.addObject().put("address", r.address().toString()).put("state", r.state().label())
              .put("outcome", r.outcome())
              .put("attempts", r.attempts()).put("nextAttempt", r.state().finished() ? null : r.nextAttempt().toString())
              .put("detail", r.lastResult());
        }
      }
      out.println(a);
      return 0;
    }
    if (all.isEmpty()) {
      out.println("the outbox is empty");
    }
    for (OutboxEntry e : all) {
      out.printf("%s  %s  from %s%n", e.id(), e.messageId(), e.from());
      for (OutboxEntry.RecipientState r : e.recipients()) {
        String when = r.state().finished() ? "" : " next " + r.nextAttempt();
        out.printf("  %-36s %-9s %d attempt(s)%s; %s%n", r.address(), r.state().label(), r.attempts(), when,
            r.outcome());
        if (!r.lastResult().isEmpty()) {
          out.printf("      %s%n", r.lastResult());
        }
      }
    }
    return 0;
  }
}
