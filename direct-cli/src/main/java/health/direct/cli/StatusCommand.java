package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.app.status.SentMessages;
import health.direct.core.mailbox.Mailbox;
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

  @Option(names = "--all", description = "Include the notifications the client sent by itself.")
  boolean all;

  @Override
  public Integer call() {
    CliContext ctx = root.context();
    List<SentMessages.Sent> sent;
    try (Mailbox mailbox = ctx.mailbox()) {
      SentMessages messages = new SentMessages(ctx.outbox(), mailbox);
      sent = messageId == null ? messages.list(all) : List.of(messages.find(messageId));
    }
    List<OutboxEntry> entries = sent.stream().map(SentMessages.Sent::entry).toList();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode a = new ObjectMapper().createArrayNode();
      for (SentMessages.Sent s : sent) {
        OutboxEntry e = s.entry();
        ObjectNode n = a.addObject().put("id", e.id()).put("messageId", e.messageId()).put("from", e.from().toString())
            .put("subject", s.subject().orElse(null)).put("automatic", s.automatic())
            .put("created", Times.json(e.createdAt())).put("notifications", e.expectation().name().toLowerCase());
        ArrayNode rs = n.putArray("recipients");
        for (OutboxEntry.RecipientState r : e.recipients()) {
          ObjectNode x = rs.addObject().put("address", r.address().toString()).put("outcome", r.outcome())
              .put("settled", r.settled()).put("delivery", r.state().label()).put("notification", r.receipt().label())
              .put("waitUntil", r.receiptDeadline().map(Times::json).orElse(null)).put("detail", r.lastResult());
          ArrayNode t = x.putArray("timeline");
          r.timeline().forEach(ev -> t.addObject().put("at", Times.json(ev.at()))
              .put("kind", ev.what().split(" ", 2)[0]).put("event", ev.what()));
        }
      }
      out.println(a);
      return 0;
    }
    java.time.ZoneId zone = Times.zone(root.env);
    if (entries.isEmpty()) {
      out.println("nothing sent yet");
    }
    for (SentMessages.Sent s : sent) {
      OutboxEntry e = s.entry();
      out.printf("%s  %s  %s%s%n", Times.local(e.createdAt(), zone), e.messageId(), e.id(),
          s.subject().map(x -> "  " + Printing.safe(x)).orElse(s.automatic() ? "  (notification)" : ""));
      for (OutboxEntry.RecipientState r : e.recipients()) {
        out.printf("  %-36s %s%s%n", r.address(), r.outcome(),
            r.receiptDeadline().filter(d -> r.receipt().awaiting()).map(d -> " (until " + Times.local(d, zone) + ")")
                .orElse(""));
        if (messageId != null) {
          r.timeline().forEach(ev -> out.println("      " + Times.localSeconds(ev.at(), zone) + "  " + ev.what()));
        }
      }
    }
    return 0;
  }
}
