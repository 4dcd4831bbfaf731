package health.direct.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.address.DirectAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's state machine: one final outcome per recipient, retries by schedule, then give up. */
class OutboxTest {
  static final DirectAddress ALICE = DirectAddress.parse("alice@hospital.example");
  static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");
  static final DirectAddress CAROL = DirectAddress.parse("carol@clinic.example");

  @TempDir
  Path dir;

  /** A clock the test moves. */
  static final class Hands extends Clock {
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aQueuedMessageIsOnDiskOwnerOnlyWithEveryRecipientPending() throws Exception {
    Outbox box = new Outbox(dir.resolve("outbox"), new Hands(), RetryPolicy.defaults());
    Path sealed = Files.writeString(dir.resolve("s.eml"), "sealed bytes");

    OutboxEntry e = box.enqueue(sealed, "<1@hospital.example>", ALICE, List.of(BOB, CAROL));

    assertThat(Files.readString(e.message())).isEqualTo("sealed bytes");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(e.message()))).isEqualTo("rw-------");
    assertThat(box.list()).singleElement().satisfies(x -> assertThat(x.recipients())
        .extracting(OutboxEntry.RecipientState::state).containsOnly(OutboxEntry.State.PENDING));
    try (var s = Files.list(dir.resolve("outbox"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".new"));
    }
  }

  @Test
  void temporaryFailuresAreRetriedOnASchedulePermanentOnesAreFinalAndDeliveredIsNeverRetried() throws Exception {
    Hands clock = new Hands();
    Outbox box = new Outbox(dir.resolve("outbox"), clock,
        new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1)));
    box.enqueue(Files.writeString(dir.resolve("s.eml"), "x"), "<1@h>", ALICE, List.of(BOB, CAROL));
    List<List<DirectAddress>> calls = new ArrayList<>();
    Courier courier = (m, from, to) -> {
      calls.add(to);
      return Map.of(BOB, new DeliveryOutcome.Delivered("250 ok"), CAROL, new DeliveryOutcome.Transient("451 later"));
    };
    OutboxWorker worker = new OutboxWorker(box, courier);

    assertThat(worker.deliverDue().delivered()).isEqualTo(1);
    assertThat(worker.deliverDue().delivered()).as("nothing due before the retry time").isZero();
    clock.now = clock.now.plus(Duration.ofSeconds(61));
    worker.deliverDue();

    assertThat(calls).containsExactly(List.of(BOB, CAROL), List.of(CAROL));
    OutboxEntry.RecipientState carol = box.list().get(0).recipients().get(1);
    assertThat(carol.state()).isEqualTo(OutboxEntry.State.RETRYING);
    assertThat(carol.attempts()).isEqualTo(2);
    assertThat(carol.nextAttempt()).isEqualTo(clock.now.plus(Duration.ofMinutes(2)));
  }

  @Test
  void afterTheGiveUpTimeATemporaryFailureBecomesFinalAndIsReportedOnce() throws Exception {
    Hands clock = new Hands();
    Outbox box = new Outbox(dir.resolve("outbox"), clock,
        new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(30)));
    box.enqueue(Files.writeString(dir.resolve("s.eml"), "x"), "<1@h>", ALICE, List.of(BOB));
    OutboxWorker worker = new OutboxWorker(box, (m, f, to) -> Map.of(BOB, new DeliveryOutcome.Transient("421 busy")));

    int failures = 0;
    for (int i = 0; i < 20; i++) {
      failures += worker.deliverDue().failed().size();
      clock.now = clock.now.plus(Duration.ofMinutes(10));
    }

    assertThat(failures).isEqualTo(1);
    OutboxEntry.RecipientState s = box.list().get(0).recipients().get(0);
    assertThat(s.state()).isEqualTo(OutboxEntry.State.FAILED);
    assertThat(s.lastResult()).startsWith("gave up after").contains("421 busy");
  }

  @Test
  void theRetryDelayDoublesUpToItsCeiling() {
    RetryPolicy p = new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofDays(1));
    assertThat(List.of(p.delayAfter(1), p.delayAfter(2), p.delayAfter(3), p.delayAfter(4), p.delayAfter(5)))
        .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
            Duration.ofMinutes(10));
  }
}
