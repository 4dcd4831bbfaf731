package health.direct.cli;

import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxWorker;
import health.direct.transport.fetch.FetchReport;
import java.io.PrintWriter;

/** The delivery and fetch use cases as the send, outbox and fetch commands print them. */
final class MailRounds {
  private MailRounds() {}

  /** Delivers what is due; each final failure becomes a notice in the inbox and a line on stderr. */
  static OutboxWorker.Round deliver(CliContext ctx, Mailbox mailbox, PrintWriter err) {
    return deliver(ctx, mailbox, err, health.direct.core.outbox.DeliveryProgress.NONE);
  }

  /** As {@link #deliver(CliContext, Mailbox, PrintWriter)}, telling {@code progress} how each hand-over goes. */
  static OutboxWorker.Round deliver(CliContext ctx, Mailbox mailbox, PrintWriter err,
      health.direct.core.outbox.DeliveryProgress progress) {
    return ctx.session().deliver(mailbox).deliverDue(f -> err.println("direct: delivery FAILED for " + f.recipient()
        + " (message " + f.messageId() + "): " + f.reason()), progress);
  }

  /** Fetches, then delivers what is due, so the notifications the fetch queued leave at once. */
  static FetchReport fetch(CliContext ctx, Mailbox mailbox, PrintWriter log) {
    return fetch(ctx, mailbox, log, health.direct.transport.fetch.FetchProgress.NONE);
  }

  /** As {@link #fetch(CliContext, Mailbox, PrintWriter)}, showing large downloads on {@code progress}. */
  static FetchReport fetch(CliContext ctx, Mailbox mailbox, PrintWriter log,
      health.direct.transport.fetch.FetchProgress progress) {
    FetchReport r = ctx.session().receive(mailbox).fetch(line -> log.println("direct: " + line), progress);
    deliver(ctx, mailbox, log);
    return r;
  }
}
