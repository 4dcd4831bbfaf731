package health.direct.app.deliver;

import health.direct.core.mailbox.Mailbox;
import health.direct.core.notifications.FailureNotices;
import health.direct.core.outbox.Courier;
import health.direct.core.outbox.DeliveryProgress;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outbox.OutboxWorker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Delivering what is due in the outbox (arc 4), the one delivery round every front end runs. Two
 * rules are decided here: a notification that did not come in time is a delivery failure (DN-08),
 * every final failure, whichever way it came, puts a clear notice in the sender's inbox
 * (AS-15), and a message every recipient is finished with keeps only its plain sent copy.
 *
 * <pre>{@code
 * OutboxWorker.Round r = session.deliver(mailbox).deliverDue(f -> log(f.recipient() + ": " + f.reason()));
 * }</pre>
 */
public final class DeliverOutbox {
  private final Outbox outbox;
  private final Courier courier;
  private final FailureNotices notices;
  private final Mailbox mailbox;

  public DeliverOutbox(Outbox outbox, Courier courier, Mailbox mailbox, Path work, Clock clock) {
    this.outbox = outbox;
    this.courier = courier;
    this.mailbox = mailbox;
    this.notices = new FailureNotices(mailbox, work, clock);
  }

  /** One round; each final failure (SMTP or notification time-out) is noticed and passed to {@code onFailure}. */
  public OutboxWorker.Round deliverDue(Consumer<OutboxWorker.Failure> onFailure) {
    return deliverDue(onFailure, DeliveryProgress.NONE);
  }

  /** As {@link #deliverDue(Consumer)}, telling {@code progress} how each hand-over to a server goes. */
  public OutboxWorker.Round deliverDue(Consumer<OutboxWorker.Failure> onFailure, DeliveryProgress progress) {
    OutboxWorker.Round round = new OutboxWorker(outbox, courier).deliverDue(progress);
    // once nothing will send it again, the sent folder keeps the plain copy only: a large message
    // then costs its plain size on disk, not that and its sealed size
    round.finished().forEach(id -> mailbox.dropOriginal("sent:" + id));
    List<OutboxWorker.Failure> failures = new ArrayList<>(round.failed());
    for (Outbox.TimedOut t : outbox.expireReceipts()) { // DN-08
      failures.add(new OutboxWorker.Failure(t.entry().id(), t.entry().messageId(), t.recipient(), t.reason()));
    }
    for (OutboxWorker.Failure f : failures) { // AS-15
      OutboxEntry e = outbox.find(f.outboxId()).orElseThrow();
      notices.deliveryFailed(f, e.from());
      onFailure.accept(f);
    }
    return new OutboxWorker.Round(round.delivered(), round.retrying(), failures, round.finished());
  }
}
