package health.direct.core.outbox;

import health.direct.core.address.DirectAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** One queued message and the state of each of its recipients. */
public record OutboxEntry(String id, String messageId, DirectAddress from, Instant createdAt, Path message,
    List<RecipientState> recipients) {
  public OutboxEntry {
    recipients = List.copyOf(recipients);
  }

  /** Where one recipient's copy stands. */
  public enum State {
    PENDING, RETRYING, DELIVERED, FAILED;

    public boolean finished() {
      return this == DELIVERED || this == FAILED;
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A recipient's state, attempts so far, when to try next, and the last server answer. */
  public record RecipientState(DirectAddress address, State state, int attempts, Instant nextAttempt,
      String lastResult, Instant updatedAt) {}

  public boolean finished() {
    return recipients.stream().allMatch(r -> r.state().finished());
  }

  /** Recipients to try now. */
  public List<DirectAddress> due(Instant now) {
    return recipients.stream().filter(r -> !r.state().finished() && !r.nextAttempt().isAfter(now))
        .map(RecipientState::address).toList();
  }
}
