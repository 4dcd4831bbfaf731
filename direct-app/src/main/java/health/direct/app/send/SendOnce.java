package health.direct.app.send;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.outgoing.Submission;
import health.direct.core.store.DirectHome;
import health.direct.core.store.RequestRecords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A send that a caller may retry without sending twice: the API's {@code Idempotency-Key}. The
 * first request with a key is sent and its Message-ID kept for a day; a repeat with the same key
 * and the same content is answered with that message instead of sending again; the same key with
 * other content is refused ({@link Problem#CONFLICT}). A request that was under way when the server
 * stopped is never sent again on its own: the caller is told to look at what was sent first.
 * Requests with one key from one caller run one at a time.
 *
 * <pre>{@code
 * SendOnce once = new SendOnce(home, clock);
 * SendOnce.Outcome o = once.send("ehr", "order-1234", fingerprint, () -> session.send(mailbox).submit(draft));
 * }</pre>
 */
public final class SendOnce {
  /** What a request came to: the Message-ID sent, and whether it was sent by an earlier request with the key. */
  public record Outcome(String messageId, boolean replayed, Optional<Submission> submission) {}

  private final RequestRecords records;
  private final Clock clock;
  // striped, never removed: a lock dropped while another request waits on it would let a third in beside it
  private final Object[] locks = new Object[64];

  public SendOnce(DirectHome home, Clock clock) {
    this.records = new RequestRecords(home.root().resolve("api-requests.properties"), Duration.ofDays(1));
    this.clock = clock;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * Runs {@code send} unless a request from {@code caller} with {@code key} was already made.
   *
   * @param fingerprint what identifies the request's content (see {@link #fingerprint(byte[]...)})
   */
  public Outcome send(String caller, String key, String fingerprint, Supplier<Submission> send) {
    if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw new DirectException(Problem.USAGE, "an Idempotency-Key is 1 to 255 visible ASCII characters (a UUID "
          + "is a good choice)");
    }
    String scoped = hex(sha256((caller + "\0" + key).getBytes(StandardCharsets.UTF_8)));
    Object lock = locks[Math.floorMod(scoped.hashCode(), locks.length)];
    synchronized (lock) {
      Optional<RequestRecords.Entry> seen = records.find(scoped, clock.instant());
      if (seen.isPresent()) {
        if (!seen.get().fingerprint().equals(fingerprint)) {
          throw new DirectException(Problem.CONFLICT, "this Idempotency-Key was used at " + seen.get().at()
              + " for a different request: use a new key for a new message");
        }
        return new Outcome(seen.get().result().orElseThrow(() -> new DirectException(Problem.CONFLICT,
            "a request with this Idempotency-Key was being sent at " + seen.get().at() + " when the server stopped; "
            + "whether it went out is not known: look for it in the sent folder before sending it with a new key")),
            true, Optional.empty());
      }
      records.begin(scoped, fingerprint, clock.instant());
      Submission s;
      try {
        s = send.get();
      } catch (RuntimeException e) {
        records.forget(scoped); // nothing was queued: a retry may send it
        throw e;
      }
      records.finish(scoped, fingerprint, s.messageId(), clock.instant());
      return new Outcome(s.messageId(), false, Optional.of(s));
    }
  }

  /** A fingerprint of a request's parts, in order: the SHA-256 over each part's length and bytes. */
  public static String fingerprint(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(java.nio.ByteBuffer.allocate(8).putLong(p.length).array());
        d.update(p);
      }
      return hex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
