package health.direct.core.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What became of the API requests that carried an {@code Idempotency-Key}, in the home's
 * {@code api-requests.properties} (owner-only, written atomically and synced): for each key (its
 * SHA-256 with the caller's name, never the key itself) the fingerprint of the request's content
 * and either "begun" or the result. Records older than a day are dropped as new ones are written.
 *
 * <pre>{@code
 * RequestRecords r = new RequestRecords(home.root().resolve("api-requests.properties"), Duration.ofDays(1));
 * r.begin(key, fingerprint, now);
 * r.finish(key, fingerprint, "<id@example.org>", now);
 * }</pre>
 */
public final class RequestRecords {
  /** A key's record: the content's fingerprint, when it began, and its result once it has one. */
  public record Entry(String fingerprint, Instant at, Optional<String> result) {}

  private final Path file;
  private final Duration keep;

  public RequestRecords(Path file, Duration keep) {
    this.file = file;
    this.keep = keep;
  }

  /** The record of {@code key}, if it was seen within the time kept. */
  public synchronized Optional<Entry> find(String key, Instant now) {
    return entry(load(), key).filter(e -> !e.at().isBefore(now.minus(keep)));
  }

  /** Writes, durably, that a request with {@code key} and {@code fingerprint} has begun. */
  public synchronized void begin(String key, String fingerprint, Instant now) {
    write(key, fingerprint + " " + now + " -", now);
  }

  /** Writes, durably, the result of the request with {@code key}. */
  public synchronized void finish(String key, String fingerprint, String result, Instant now) {
    write(key, fingerprint + " " + now + " " + result, now);
  }

  /** Forgets {@code key}: the request failed before anything was done, so trying it again is safe. */
  public synchronized void forget(String key) {
    Properties p = load();
    if (p.remove(key) != null) {
      save(p);
    }
  }

  private void write(String key, String value, Instant now) {
    Properties p = load();
    Instant oldest = now.minus(keep);
    p.stringPropertyNames().forEach(k -> entry(p, k).filter(e -> e.at().isBefore(oldest)).ifPresent(e -> p.remove(k)));
    p.setProperty(key, value);
    save(p);
  }

  private static Optional<Entry> entry(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      return Optional.empty();
    }
    String[] f = v.split(" ", 3);
    if (f.length < 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Entry(f[0], Instant.parse(f[1]), f[2].equals("-") ? Optional.empty() : Optional.of(f[2])));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private Properties load() {
    return PropertiesFile.read(file, "the API's request records").orElseGet(Properties::new);
  }

  private void save(Properties p) {
    PropertiesFile.write(file, p, "API requests with an Idempotency-Key: fingerprint, time, result");
  }
}
