package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.Problem;
import health.direct.core.compose.Draft;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outgoing.Submission;
import health.direct.core.resolve.RecipientCertificates;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** What send, reply and forward share: a plain message handed to the send use case, and its outcome printed. */
final class Submitting {
  private Submitting() {}

  /** How a submission is delivered and shown: at once or queued, strict, as JSON, with or without progress. */
  record Mode(boolean queueOnly, boolean strict, boolean json, boolean quiet) {}

  /** Composes and submits {@code d} through the send use case, as {@link #submit(CliContext, Path, Mode, CommandLine)} does. */
  static int submit(CliContext ctx, Draft d, Mode mode, CommandLine cl) {
    return run(ctx, mode, cl, send -> send.submit(d));
  }

  /** Submits {@code plain} (risk 1's rules are the use case's), delivers unless queued only, prints, returns the exit code. */
  static int submit(CliContext ctx, Path plain, Mode mode, CommandLine cl) {
    return run(ctx, mode, cl, send -> send.submit(plain));
  }

  private static int run(CliContext ctx, Mode mode, CommandLine cl,
      java.util.function.Function<health.direct.app.send.SendMessage, Submission> how) {
    boolean queueOnly = mode.queueOnly();
    boolean strict = mode.strict();
    boolean json = mode.json();
    try (Mailbox mailbox = ctx.mailbox()) {
      PrintWriter err = cl.getErr();
      Submission s = how.apply(ctx.session().send(mailbox));
      s.unsecuredTo().forEach(a -> err.println("direct: sending to " + a + " WITHOUT S/MIME: it publishes no "
          + "certificate and the DLP check passed (unsecured.send-to-non-direct)"));
      for (RecipientCertificates.Rejected d : s.dropped()) {
        err.println("direct: not sent to " + d.address() + ": " + d.reason());
      }
      if (!queueOnly) {
        ProgressLine line = ProgressLine.on(err, "send", mode.quiet(), json);
        long[] sent = {0};
        MailRounds.deliver(ctx, mailbox, err, progress(s, line, sent));
        line.doneIfShown("sent", sent[0]);
      }
      boolean failed = false;
      for (OutboxEntry queued : s.entries()) {
        OutboxEntry e = ctx.outbox().find(queued.id()).orElseThrow();
        print(cl.getOut(), e, s.dropped(), json);
        failed |= e.recipients().stream().anyMatch(r -> r.state() == OutboxEntry.State.FAILED);
      }
      if (failed) {
        return Problem.DELIVERY_FAILED.exitCode();
      }
      return strict && !s.dropped().isEmpty() ? Problem.NOT_SENT_TO_ALL.exitCode() : 0;
    }
  }

  /** The hand-over of this submission's large messages to the server, shown on {@code line}. */
  private static health.direct.core.outbox.DeliveryProgress progress(Submission s, ProgressLine line, long[] sent) {
    if (line.silent()) {
      return health.direct.core.outbox.DeliveryProgress.NONE;
    }
    java.util.Set<String> ours = new java.util.HashSet<>(s.entries().stream().map(OutboxEntry::messageId).toList());
    return (messageId, bytes, size) -> {
      if (!ours.contains(messageId) || size < ProgressLine.LARGE) {
        return; // what else was due (notifications, retries) goes without a line
      }
      sent[0] = bytes;
      line.show("sending", bytes, size);
    };
  }

  private static void print(PrintWriter out, OutboxEntry e, List<RecipientCertificates.Rejected> dropped, boolean json) {
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("outboxId", e.id());
      n.put("messageId", e.messageId());
      n.put("from", e.from().toString());
      ArrayNode rs = n.putArray("recipients");
      for (OutboxEntry.RecipientState r : e.recipients()) {
        rs.addObject().put("address", r.address().toString()).put("state", r.state().label())
            .put("attempts", r.attempts()).put("detail", r.lastResult());
      }
      n.put("secured", e.expectation() != OutboxEntry.Expectation.NONE);
      ArrayNode notSent = n.putArray("dropped");
      dropped.forEach(d -> notSent.addObject().put("address", d.address().toString()).put("reason", d.reason()));
      out.println(n);
      return;
    }
    out.printf("queued %s as %s%n", e.messageId(), e.id());
    for (OutboxEntry.RecipientState r : e.recipients()) {
      out.printf("  %-36s %-9s %s%n", r.address(), r.state().label(), r.lastResult());
    }
  }
}
