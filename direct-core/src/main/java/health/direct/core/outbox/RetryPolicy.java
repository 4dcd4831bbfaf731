package health.direct.core.outbox;

import java.time.Duration;

/**
 * When to try a delivery again after a temporary failure: {@code initial}, doubling up to
 * {@code max}, until the message is {@code giveUpAfter} old; then the recipient has failed
 * (AS-15: the user is told).
 *
 * <pre>{@code
 * RetryPolicy p = new RetryPolicy(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(2));
 * }</pre>
 */
public record RetryPolicy(Duration initial, Duration max, Duration giveUpAfter) {

  public static RetryPolicy defaults() {
    return new RetryPolicy(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(2));
  }

  /** The wait after the {@code attempts}-th failed attempt (1 = the first). */
  public Duration delayAfter(int attempts) {
    Duration d = initial;
    for (int i = 1; i < attempts && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
