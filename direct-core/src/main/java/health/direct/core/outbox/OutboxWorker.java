package health.direct.core.outbox;

import health.direct.core.address.DirectAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Delivers what is due in the outbox, holding its lock: each due message to its due recipients,
 * each recipient's outcome recorded (fsync'd) as soon as it is known. Returns the final failures
 * of this round, so the user can be told (AS-15).
 *
 * <pre>{@code
 * List<OutboxWorker.Failure> failed = new OutboxWorker(outbox, smtp).deliverDue();
 * }</pre>
 */
public final class OutboxWorker {
  private final Outbox outbox;
  private final Courier courier;

  /** A recipient whose delivery failed for good in this round. */
  public record Failure(String outboxId, String messageId, DirectAddress recipient, String reason) {}

  /**
   * What one round did; {@code finished} holds the Message-IDs of the messages whose every
   * recipient is now finished, and whose sealed copy the outbox has let go of.
   */
  public record Round(int delivered, int retrying, List<Failure> failed, List<String> finished) {
    public Round {
      failed = List.copyOf(failed);
      finished = List.copyOf(finished);
    }
  }

  public OutboxWorker(Outbox outbox, Courier courier) {
    this.outbox = outbox;
    this.courier = courier;
  }

  public Round deliverDue() {
    return deliverDue(DeliveryProgress.NONE);
  }

  /** As {@link #deliverDue()}, telling {@code progress} how each hand-over to a server goes. */
  public Round deliverDue(DeliveryProgress progress) {
    int delivered = 0;
    int retrying = 0;
    List<Failure> failed = new ArrayList<>();
    List<String> finished = new ArrayList<>();
    try (Outbox.Lock lock = outbox.lock()) {
      for (OutboxEntry e : outbox.due()) {
        // read again under the lock: another process may have delivered it meanwhile
        OutboxEntry fresh = outbox.find(e.id()).orElse(e);
        List<DirectAddress> due = outbox.dueRecipients(fresh);
        if (due.isEmpty()) {
          continue;
        }
        long size = fresh.message().toFile().length();
        Map<DirectAddress, DeliveryOutcome> outcomes = courier.deliver(fresh.message(), fresh.from(), due,
            bytes -> progress.sending(fresh.messageId(), bytes, size));
        OutboxEntry after = fresh;
        for (DirectAddress r : due) {
          DeliveryOutcome o = outcomes.getOrDefault(r, new DeliveryOutcome.Transient("no outcome reported"));
          after = outbox.record(fresh.id(), r, o);
          OutboxEntry.RecipientState s = after.recipients().stream().filter(x -> x.address().sameMailbox(r))
              .findFirst().orElseThrow();
          switch (s.state()) {
            case DELIVERED -> delivered++;
            case FAILED -> failed.add(new Failure(fresh.id(), fresh.messageId(), r, s.lastResult()));
            default -> retrying++;
          }
        }
        if (outbox.releaseMessage(after)) {
          finished.add(fresh.messageId());
        }
      }
    }
    return new Round(delivered, retrying, failed, finished);
  }
}
