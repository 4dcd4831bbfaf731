package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.outbox.OutboxEntry;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct status [MESSAGE-ID]}: each recipient's outcome and time line, notifications included. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show what became of sent messages, per recipient: delivered to the mail server, processed and "
        + "dispatched by the recipient's client (signed MDNs), or failed (5xx, DSN, failed MDN, no notification in "
        + "time). One final outcome per recipient; late notifications are listed but change nothing (DN-08).",
        "Without MESSAGE-ID: every message in the outbox, one line per recipient."})
final class StatusCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "MESSAGE-ID", arity = "0..1", description = "The Message-ID (with or without <>) or outbox id.")
  String messageId;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = root.context();
    List<OutboxEntry> entries;
    if (messageId == null) {
      entries = ctx.outbox().list();
    } else {
      String id = messageId.startsWith("<") || !messageId.contains("@") ? messageId : "<" + messageId + ">";
      entries = ctx.outbox().findByMessageId(id).or(() -> ctx.outbox().find(messageId)).map(List::of)
          .orElseThrow(() -> new DirectException(Problem.NOT_FOUND, "no sent message " + messageId
              + " in the outbox ('direct status' lists them)"));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode a = new ObjectMapper().createArrayNode();
      for (OutboxEntry e : entries) {
        ObjectNode n = a.addObject().put("id", e.id()).put("messageId", e.messageId()).put("from", e.from().toString())
            .put("created", e.createdAt().toString()).put("notifications", e.expectation().name().toLowerCase());
        ArrayNode rs = n.putArray("recipients");
        for (OutboxEntry.RecipientState r : e.recipients()) {
          ObjectNode x = rs.addObject().put("address", r.address().toString()).put("outcome", r.outcome())
              .put("settled", r.settled()).put("delivery", r.state().label()).put("notification", r.receipt().label())
              .put("waitUntil", r.receiptDeadline().map(Object::toString).orElse(null)).put("detail", r.lastResult());
          ArrayNode t = x.putArray("timeline");
          r.timeline().forEach(ev -> t.addObject().put("at", ev.at().toString()).put("event", ev.what()));
        }
      }
      out.println(a);
      return 0;
    }
    if (entries.isEmpty()) {
      out.println("nothing sent yet");
    }
    for (OutboxEntry e : entries) {
      out.printf("%s  %s  %s%n", e.createdAt().toString().substring(0, 19).replace('T', ' '), e.messageId(), e.id());
      for (OutboxEntry.RecipientState r : e.recipients()) {
        out.printf("  %-36s %s%s%n", r.address(), r.outcome(),
            r.receiptDeadline().filter(d -> r.receipt().awaiting()).map(d -> " (until " + d + ")").orElse(""));
        if (messageId != null) {
          r.timeline().forEach(ev -> out.println("      " + ev));
        }
      }
    }
    return 0;
  }
}
