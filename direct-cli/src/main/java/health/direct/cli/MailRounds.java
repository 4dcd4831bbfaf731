package health.direct.cli;

import health.direct.core.agent.FailureNotices;
import health.direct.core.agent.Receiver;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outbox.OutboxWorker;
import health.direct.transport.fetch.FetchReport;
import java.io.PrintWriter;

/** One delivery round or one fetch, as the send, outbox, fetch and agent commands run them. */
final class MailRounds {
  private MailRounds() {}

  /** Delivers what is due; each final failure becomes a notice in the inbox and a line on stderr. */
  static OutboxWorker.Round deliver(CliContext ctx, Mailbox mailbox, PrintWriter err) {
    OutboxWorker.Round round = new OutboxWorker(ctx.outbox(), ctx.courier()).deliverDue();
    FailureNotices notices = new FailureNotices(mailbox, ctx.home.work(), ctx.clock);
    for (OutboxWorker.Failure f : round.failed()) {
      OutboxEntry e = ctx.outbox().find(f.outboxId()).orElseThrow();
      notices.deliveryFailed(f, e.from());
      err.println("direct: delivery FAILED for " + f.recipient() + " (message " + f.messageId() + "): " + f.reason());
    }
    return round;
  }

  static FetchReport fetch(CliContext ctx, Mailbox mailbox) {
    Receiver receiver = new Receiver(ctx.incoming(), mailbox, ctx.home.work());
    return ctx.fetcher().fetch(ctx.fetchSettings(), receiver);
  }
}
