package health.direct.core.outbox;

import health.direct.core.address.DirectAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One queued message and the state of each of its recipients: its delivery to the recipient's
 * mail server, and then the delivery notifications that prove it reached the recipient.
 */
public record OutboxEntry(String id, String messageId, DirectAddress from, Instant createdAt, Path message,
    Expectation expectation, List<RecipientState> recipients) {
  public OutboxEntry {
    recipients = List.copyOf(recipients);
  }

  /** Where one recipient's copy stands with the mail servers. */
  public enum State {
    PENDING, RETRYING, DELIVERED, FAILED;

    public boolean finished() {
      return this == DELIVERED || this == FAILED;
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Which notifications the message asked for (DN-01): none for a notification itself. */
  public enum Expectation {
    NONE, PROCESSED, DISPATCHED
  }

  /** Where a delivered copy stands with the recipient's notifications (DN-08). */
  public enum Receipt {
    /** Not tracked: the message is itself a notification, or not yet handed to a server. */
    NONE,
    AWAITING_PROCESSED,
    AWAITING_DISPATCHED,
    PROCESSED,
    DISPATCHED,
    FAILED,
    TIMED_OUT;

    public boolean awaiting() {
      return this == AWAITING_PROCESSED || this == AWAITING_DISPATCHED;
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  /** One dated line of a recipient's time line ("2026-11-26T10:00:01Z processed MDN (trusted)"). */
  public record Event(Instant at, String what) {
    @Override
    public String toString() {
      return at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " " + what;
    }
  }

  /** A recipient's delivery state, attempts, next try, last server answer, notifications and time line. */
  public record RecipientState(DirectAddress address, State state, int attempts, Instant nextAttempt,
      String lastResult, Instant updatedAt, Receipt receipt, Optional<Instant> receiptDeadline,
      List<Event> timeline) {
    public RecipientState {
      timeline = List.copyOf(timeline);
    }

    /** The one outcome the user sees (DN-08). */
    public String outcome() {
      if (state == State.FAILED) {
        return "failed";
      }
      if (state != State.DELIVERED) {
        return state.label();
      }
      return switch (receipt) {
        case NONE -> "sent";
        case AWAITING_PROCESSED -> "sent, awaiting processed";
        case AWAITING_DISPATCHED -> "processed, awaiting dispatched";
        case PROCESSED -> "processed";
        case DISPATCHED -> "dispatched";
        case FAILED -> "failed";
        case TIMED_OUT -> "failed (no notification in time)";
      };
    }

    /** True when nothing more will change what the user sees. */
    public boolean settled() {
      return state == State.FAILED || (state == State.DELIVERED && !receipt.awaiting());
    }
  }

  public boolean finished() {
    return recipients.stream().allMatch(r -> r.state().finished());
  }

  /** Recipients to try now. */
  public List<DirectAddress> due(Instant now) {
    return recipients.stream().filter(r -> !r.state().finished() && !r.nextAttempt().isAfter(now))
        .map(RecipientState::address).toList();
  }
}
