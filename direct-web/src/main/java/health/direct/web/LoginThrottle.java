package health.direct.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@link #ATTEMPTS} failed sign-ins per client address in {@link #WINDOW}: a store
 * password cannot be guessed at the speed of the network. Each attempt already costs the key
 * derivation of the store (PBKDF2); this bounds how many a client gets.
 */
final class LoginThrottle {
  static final int ATTEMPTS = 5;
  static final Duration WINDOW = Duration.ofMinutes(1);

  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
  private final Clock clock;

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code client} must wait before trying again; zero when it may try now. */
  Duration wait(String client) {
    Deque<Instant> f = failures.get(client);
    if (f == null) {
      return Duration.ZERO;
    }
    synchronized (f) {
      Instant cutoff = clock.instant().minus(WINDOW);
      while (!f.isEmpty() && f.peekFirst().isBefore(cutoff)) {
        f.pollFirst();
      }
      return f.size() < ATTEMPTS ? Duration.ZERO : Duration.between(cutoff, f.peekFirst());
    }
  }

  void failed(String client) {
    Deque<Instant> f = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
    synchronized (f) {
      f.addLast(clock.instant());
    }
  }

  void succeeded(String client) {
    failures.remove(client);
  }
}
