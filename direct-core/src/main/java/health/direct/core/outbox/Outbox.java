package health.direct.core.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.io.SecureFiles;
import health.direct.core.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.security.SecureRandom;

/**
 * The durable outbox (arcs 3 and 4): each sealed message waits in {@code outbox/<id>/} with a
 * {@code state.json} that records every recipient's state. The message and its state are written
 * and fsync'd before any network traffic, and each recipient's result is fsync'd as soon as the
 * server answers, so a crash loses nothing and a recipient the server accepted is never sent to
 * again. Processing takes an exclusive lock, so an agent and a command never deliver the same
 * message at once.
 *
 * <pre>{@code
 * OutboxEntry e = outbox.enqueue(sealedFile, "<id@hospital.example>", alice, List.of(bob));
 * try (Outbox.Lock lock = outbox.lock()) {
 *   for (OutboxEntry due : outbox.due()) { ... outbox.record(due.id(), bob, outcome); }
 * }
 * }</pre>
 */
public final class Outbox {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private record StoredEvent(String at, String what) {}

  private record StoredRecipient(String address, String state, int attempts, String nextAttempt, String lastResult,
      String updatedAt, String receipt, String receiptDeadline, List<StoredEvent> timeline) {}

  private record Stored(String id, String messageId, String from, String createdAt, String expectation,
      List<StoredRecipient> recipients) {}

  private final Path dir;
  private final Clock clock;
  private final RetryPolicy retry;
  private final ReceiptPolicy receipts;

  public Outbox(Path dir, Clock clock, RetryPolicy retry) {
    this(dir, clock, retry, ReceiptPolicy.defaults());
  }

  public Outbox(Path dir, Clock clock, RetryPolicy retry, ReceiptPolicy receipts) {
    this.dir = dir;
    this.clock = clock;
    this.retry = retry;
    this.receipts = receipts;
  }

  /** An exclusive hold on the outbox for delivering; other processes wait for it. */
  public final class Lock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final java.util.concurrent.locks.ReentrantLock inProcess;

    private Lock(FileChannel channel, FileLock lock, java.util.concurrent.locks.ReentrantLock inProcess) {
      this.channel = channel;
      this.lock = lock;
      this.inProcess = inProcess;
    }

    @Override
    public void close() {
      try {
        if (channel != null && inProcess.getHoldCount() == 1) {
          lock.release();
          channel.close();
        }
      } catch (IOException ignored) {
        // the lock goes with the channel
      } finally {
        inProcess.unlock();
      }
    }
  }

  /** One lock per outbox folder in this process, so a thread may take it again (reentrant). */
  private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> LOCKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Excludes other processes and threads from changing the outbox: delivery holds it for a round,
   * and every state change takes it for its read-modify-write. A thread that holds it may take it
   * again.
   */
  public Lock lock() {
    SecureFiles.privateDirectory(dir);
    java.util.concurrent.locks.ReentrantLock local = LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(),
        k -> new java.util.concurrent.locks.ReentrantLock());
    local.lock();
    if (local.getHoldCount() > 1) {
      return new Lock(null, null, local);
    }
    try {
      FileChannel ch = FileChannel.open(SecureFiles.privateFile(dir.resolve(".lock")), StandardOpenOption.WRITE);
      return new Lock(ch, ch.lock(), local);
    } catch (IOException e) {
      local.unlock();
      throw new StoreException("cannot lock the outbox " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Queues {@code sealed} (copied) for {@code recipients}. When this returns, the message and its
   * state are on disk (fsync'd).
   */
  public OutboxEntry enqueue(Path sealed, String messageId, DirectAddress from, List<DirectAddress> recipients) {
    return enqueue(sealed, messageId, from, recipients, OutboxEntry.Expectation.PROCESSED);
  }

  /** As {@link #enqueue(Path, String, DirectAddress, List)}, tracking the notifications {@code expectation} names. */
  public OutboxEntry enqueue(Path sealed, String messageId, DirectAddress from, List<DirectAddress> recipients,
      OutboxEntry.Expectation expectation) {
    try (Staged s = stage()) {
      SecureFiles.writeAtomically(s.message(), out -> Files.copy(sealed, out));
      return s.commit(messageId, from, recipients, expectation);
    }
  }

  /**
   * A new entry being written: the message goes straight to {@link Staged#message()} (so a large
   * sealed message is written once), then {@link Staged#commit} makes the entry appear whole.
   * Closed without a commit, nothing is queued and the staging folder is removed.
   *
   * <pre>{@code
   * try (Outbox.Staged s = outbox.stage()) {
   *   SealResult r = sealer.seal(plain, Files.newOutputStream(s.message()));
   *   s.commit(r.messageId(), r.sender(), recipients, OutboxEntry.Expectation.PROCESSED);
   * }
   * }</pre>
   */
  public Staged stage() {
    Instant now = clock.instant();
    // ids sort in queueing order (a processed MDN leaves before the dispatched one queued after it)
    String id = ID_TIME.format(now) + "-" + String.format("%06d", SEQUENCE.incrementAndGet() % 1_000_000) + "-"
        + HexFormat.of().formatHex(randomBytes());
    SecureFiles.privateDirectory(dir);
    Path staging = SecureFiles.privateDirectory(dir.resolve("." + id + ".new"));
    SecureFiles.privateFile(staging.resolve("message.eml"));
    return new Staged(id, now, staging);
  }

  /** An outbox entry not yet queued; see {@link #stage()}. */
  public final class Staged implements AutoCloseable {
    private final String id;
    private final Instant created;
    private final Path staging;
    private boolean committed;

    private Staged(String id, Instant created, Path staging) {
      this.id = id;
      this.created = created;
      this.staging = staging;
    }

    /** Where the sealed message is written (owner-only folder; the file is fsync'd at the commit). */
    public Path message() {
      return staging.resolve("message.eml");
    }

    /** Queues the entry: it appears in the outbox whole, or (after a crash before this) not at all. */
    public OutboxEntry commit(String messageId, DirectAddress from, List<DirectAddress> recipients,
        OutboxEntry.Expectation expectation) {
      if (recipients.isEmpty()) {
        throw new DirectException(Problem.USAGE, "nothing to queue: no recipient");
      }
      Path target = dir.resolve(id);
      try {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(message(),
            java.nio.file.StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        List<OutboxEntry.RecipientState> rs = recipients.stream().map(r -> new OutboxEntry.RecipientState(r,
            OutboxEntry.State.PENDING, 0, created, "", created, OutboxEntry.Receipt.NONE, Optional.<Instant>empty(),
            List.of(new OutboxEntry.Event(created, "queued")))).toList();
        OutboxEntry entry = new OutboxEntry(id, messageId, from, created, target.resolve("message.eml"), expectation,
            rs);
        SecureFiles.writeAtomically(staging.resolve("state.json"), JSON.writeValueAsBytes(toStored(entry)));
        // the whole entry appears at once: a crash before this leaves only a staging folder, ignored
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        SecureFiles.fsyncDirectory(dir);
        committed = true;
        return entry;
      } catch (IOException e) {
        throw new StoreException("cannot queue the message in " + dir + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (!committed) {
        SecureFiles.deleteTree(staging);
      }
    }
  }

  /** Every queued message, oldest first. */
  public List<OutboxEntry> list() {
    List<OutboxEntry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> !p.getFileName().toString().startsWith("."))) {
      for (Path p : ds) {
        if (Files.exists(p.resolve("state.json"))) {
          out.add(read(p));
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot list the outbox " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(OutboxEntry::id));
    return out;
  }

  public Optional<OutboxEntry> find(String id) {
    Path p = dir.resolve(id);
    return id.startsWith(".") || !Files.exists(p.resolve("state.json")) ? Optional.empty() : Optional.of(read(p));
  }

  /** Messages with a recipient to try now. */
  public List<OutboxEntry> due() {
    Instant now = clock.instant();
    return list().stream().filter(e -> !e.due(now).isEmpty()).toList();
  }

  /** The recipients of {@code e} to try now. */
  public List<DirectAddress> dueRecipients(OutboxEntry e) {
    return e.due(clock.instant());
  }

  /** The earliest time some recipient should be tried again, if any is waiting. */
  public Optional<Instant> nextAttempt() {
    return list().stream().flatMap(e -> e.recipients().stream()).filter(r -> !r.state().finished())
        .map(OutboxEntry.RecipientState::nextAttempt).min(Comparator.naturalOrder());
  }

  /**
   * Records what the server said for one recipient, on disk before returning. A temporary failure
   * is retried by the policy's schedule until the message is too old, then it is final.
   */
  public OutboxEntry record(String id, DirectAddress recipient, DeliveryOutcome outcome) {
    Instant now = clock.instant();
    return update(id, recipient, (e, r) -> {
      if (r.state().finished()) {
        return r;
      }
      int attempts = r.attempts() + 1;
      if (outcome instanceof DeliveryOutcome.Delivered) {
        boolean track = e.expectation() != OutboxEntry.Expectation.NONE;
        return new OutboxEntry.RecipientState(r.address(), OutboxEntry.State.DELIVERED, attempts, now,
            outcome.detail(), now, track ? OutboxEntry.Receipt.AWAITING_PROCESSED : OutboxEntry.Receipt.NONE,
            track ? Optional.of(now.plus(receipts.processed())) : Optional.empty(),
            plus(r, now, "accepted by " + outcome.detail()));
      }
      if (outcome instanceof DeliveryOutcome.Permanent) {
        return new OutboxEntry.RecipientState(r.address(), OutboxEntry.State.FAILED, attempts, now, outcome.detail(),
            now, r.receipt(), Optional.empty(), plus(r, now, "failed: " + outcome.detail()));
      }
      if (now.isAfter(e.createdAt().plus(retry.giveUpAfter()))) {
        String why = "gave up after " + attempts + " attempts over " + retry.giveUpAfter().toHours() + " h; last: "
            + outcome.detail();
        return new OutboxEntry.RecipientState(r.address(), OutboxEntry.State.FAILED, attempts, now, why, now,
            r.receipt(), Optional.empty(), plus(r, now, why));
      }
      return new OutboxEntry.RecipientState(r.address(), OutboxEntry.State.RETRYING, attempts,
          now.plus(retry.delayAfter(attempts)), outcome.detail(), now, r.receipt(), r.receiptDeadline(),
          plus(r, now, "temporary failure: " + outcome.detail()));
    });
  }

  /**
   * The entry whose message has this Message-ID, if it is ours: the sealed one when the same
   * message also went unsecured to non-Direct addresses.
   */
  public Optional<OutboxEntry> findByMessageId(String messageId) {
    List<OutboxEntry> all = entriesByMessageId(messageId);
    return all.stream().filter(e -> e.expectation() != OutboxEntry.Expectation.NONE).findFirst()
        .or(() -> all.stream().findFirst());
  }

  /** Every entry with this Message-ID (a sealed and an unsecured copy of one message, say). */
  public List<OutboxEntry> entriesByMessageId(String messageId) {
    String wanted = messageId.trim();
    return list().stream().filter(e -> e.messageId().equalsIgnoreCase(wanted)).toList();
  }

  /**
   * Records a notification about one recipient's copy. Only {@code proof} (a trusted, signed MDN
   * from that recipient, or a DSN failure) moves the state; anything else, and anything arriving
   * after the outcome is settled, is only written in the time line (DN-08).
   *
   * @return true when the state changed
   */
  public boolean recordNotification(String messageId, DirectAddress recipient, String what,
      Optional<health.direct.core.receipts.Disposition> disposition, boolean proof) {
    Optional<OutboxEntry> e = findByMessageId(messageId);
    if (e.isEmpty()) {
      return false;
    }
    Instant now = clock.instant();
    boolean[] changed = {false};
    update(e.get().id(), recipient, (entry, r) -> {
      OutboxEntry.Receipt next = r.receipt();
      Optional<Instant> deadline = r.receiptDeadline();
      String note = what;
      if (!proof || disposition.isEmpty()) {
        note = what + " (not counted: " + (proof ? "no disposition" : "not a trusted, signed notification") + ")";
      } else if (r.settled() || r.state() != OutboxEntry.State.DELIVERED) {
        note = what + (r.state() == OutboxEntry.State.DELIVERED && r.receipt() != OutboxEntry.Receipt.FAILED
            && r.receipt() != OutboxEntry.Receipt.TIMED_OUT ? " (the outcome was already " + r.outcome() + ")"
            : " (late: the outcome was already " + r.outcome() + ")");
      } else {
        switch (disposition.get()) {
          case PROCESSED -> {
            if (r.receipt() == OutboxEntry.Receipt.AWAITING_PROCESSED) {
              boolean more = entry.expectation() == OutboxEntry.Expectation.DISPATCHED;
              next = more ? OutboxEntry.Receipt.AWAITING_DISPATCHED : OutboxEntry.Receipt.PROCESSED;
              deadline = more ? Optional.of(now.plus(receipts.dispatched())) : Optional.empty();
            }
          }
          case DISPATCHED -> {
            next = OutboxEntry.Receipt.DISPATCHED;
            deadline = Optional.empty();
          }
          case FAILED -> {
            next = OutboxEntry.Receipt.FAILED;
            deadline = Optional.empty();
          }
          default -> note = what + " (ignored)";
        }
      }
      changed[0] = next != r.receipt();
      return new OutboxEntry.RecipientState(r.address(), r.state(), r.attempts(), r.nextAttempt(),
          changed[0] && next == OutboxEntry.Receipt.FAILED ? what : r.lastResult(), now, next, deadline,
          plus(r, now, note));
    });
    return changed[0];
  }

  /** A recipient whose notification did not come in time (DN-08). */
  public record TimedOut(OutboxEntry entry, DirectAddress recipient, String reason) {}

  /** Marks every recipient whose notification is overdue as timed out, and returns them. */
  public List<TimedOut> expireReceipts() {
    Instant now = clock.instant();
    List<TimedOut> out = new ArrayList<>();
    for (OutboxEntry e : list()) {
      for (OutboxEntry.RecipientState r : e.recipients()) {
        if (r.receipt().awaiting() && r.receiptDeadline().isPresent() && now.isAfter(r.receiptDeadline().get())) {
          String why = "no " + (r.receipt() == OutboxEntry.Receipt.AWAITING_PROCESSED ? "processed" : "dispatched")
              + " notification from " + r.address() + " by " + r.receiptDeadline().get();
          update(e.id(), r.address(), (entry, x) -> !x.receipt().awaiting() ? x
              : new OutboxEntry.RecipientState(x.address(), x.state(), x.attempts(), x.nextAttempt(), why, now,
                  OutboxEntry.Receipt.TIMED_OUT, Optional.empty(), plus(x, now, why)));
          out.add(new TimedOut(e, r.address(), why));
        }
      }
    }
    return out;
  }

  /**
   * Deletes the sealed message of {@code e} once every recipient is finished (delivered or failed
   * for good): nothing will send it again, and its state stays for the receipts and the status.
   * Returns whether it was deleted.
   */
  public boolean releaseMessage(OutboxEntry e) {
    if (!e.finished() || !Files.exists(e.message())) {
      return false;
    }
    SecureFiles.deleteQuietly(e.message());
    return true;
  }

  /** Reads the entry, changes one recipient, writes it back: all under the lock, so no change is lost. */
  private OutboxEntry update(String id, DirectAddress recipient,
      java.util.function.BiFunction<OutboxEntry, OutboxEntry.RecipientState, OutboxEntry.RecipientState> change) {
    try (Lock lock = lock()) {
      OutboxEntry e = find(id).orElseThrow(() -> new DirectException(Problem.NOT_FOUND, "no message " + id
          + " in the outbox"));
      List<OutboxEntry.RecipientState> updated = new ArrayList<>();
      for (OutboxEntry.RecipientState r : e.recipients()) {
        updated.add(r.address().sameMailbox(recipient) ? change.apply(e, r) : r);
      }
      OutboxEntry changed = new OutboxEntry(e.id(), e.messageId(), e.from(), e.createdAt(), e.message(),
          e.expectation(), updated);
      SecureFiles.writeAtomically(dir.resolve(e.id()).resolve("state.json"), JSON.writeValueAsBytes(toStored(changed)));
      return changed;
    } catch (IOException ex) {
      throw new StoreException("cannot record the state of " + id + ": " + ex.getMessage(), ex);
    }
  }

  private static List<OutboxEntry.Event> plus(OutboxEntry.RecipientState r, Instant at, String what) {
    List<OutboxEntry.Event> t = new ArrayList<>(r.timeline());
    t.add(new OutboxEntry.Event(at, what));
    return t;
  }

  private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }

  private OutboxEntry read(Path p) {
    try {
      Stored s = JSON.readValue(Files.readAllBytes(p.resolve("state.json")), Stored.class);
      List<OutboxEntry.RecipientState> rs = s.recipients().stream().map(r -> new OutboxEntry.RecipientState(
          DirectAddress.parse(r.address()), OutboxEntry.State.valueOf(r.state()), r.attempts(),
          Instant.parse(r.nextAttempt()), r.lastResult(), Instant.parse(r.updatedAt()),
          r.receipt() == null ? OutboxEntry.Receipt.NONE : OutboxEntry.Receipt.valueOf(r.receipt()),
          Optional.ofNullable(r.receiptDeadline()).map(Instant::parse),
          r.timeline() == null ? List.<OutboxEntry.Event>of() : r.timeline().stream()
              .map(ev -> new OutboxEntry.Event(Instant.parse(ev.at()), ev.what())).toList())).toList();
      return new OutboxEntry(s.id(), s.messageId(), DirectAddress.parse(s.from()), Instant.parse(s.createdAt()),
          p.resolve("message.eml"), s.expectation() == null ? OutboxEntry.Expectation.PROCESSED
              : OutboxEntry.Expectation.valueOf(s.expectation()), rs);
    } catch (IOException | RuntimeException e) {
      throw new StoreException("outbox entry " + p + " is damaged: " + e.getMessage(), e);
    }
  }

  private static Stored toStored(OutboxEntry e) {
    return new Stored(e.id(), e.messageId(), e.from().toString(), e.createdAt().toString(), e.expectation().name(),
        e.recipients().stream().map(r -> new StoredRecipient(r.address().toString(), r.state().name(), r.attempts(),
            r.nextAttempt().toString(), r.lastResult(), r.updatedAt().toString(), r.receipt().name(),
            r.receiptDeadline().map(Instant::toString).orElse(null),
            r.timeline().stream().map(ev -> new StoredEvent(ev.at().toString(), ev.what())).toList())).toList());
  }
}
