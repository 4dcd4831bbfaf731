package health.direct.app.agent;

import health.direct.app.DirectSession;
import health.direct.core.DirectException;
import health.direct.core.automation.DropFolder;
import health.direct.core.automation.InboundFolder;
import health.direct.core.health.HealthCheck;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxWorker;
import health.direct.core.store.HomeConfig;
import health.direct.transport.fetch.FetchReport;
import health.direct.transport.fetch.MailFetcher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The long-running client, one round at a time: take what the EHR dropped (automation.drop-folder,
 * sent as {@code direct send} sends), deliver what is due in the outbox, fetch new mail, copy
 * trusted mail to the inbound folder (automation.inbound-folder), and watch for silence (risk 5).
 * A step that fails is reported and the round goes on; state is on disk after every step. Between
 * rounds {@link #awaitWork} waits in IMAP IDLE where the server offers it, so new mail is fetched
 * at once.
 *
 * <pre>{@code
 * Agent agent = new Agent(session, mailbox, true, log);
 * while (running) { agent.runRound(); agent.awaitWork(stop); }
 * }</pre>
 */
public final class Agent {
  /** Where the agent reports; lines carry counts and Message-IDs, never content or the EHR's file names. */
  public interface Log {
    void info(String line);

    void problem(String line);
  }

  private final DirectSession session;
  private final Mailbox mailbox;
  private final boolean fetching;
  private final Log log;
  private final Optional<Path> dropFolder;
  private final Optional<Path> inboundFolder;
  private final HealthAlerts alerts = new HealthAlerts();
  private final AtomicReference<MailFetcher.IdleSession> idling = new AtomicReference<>();

  /** @param fetch whether to fetch (it is only done when a mailbox is configured too) */
  public Agent(DirectSession session, Mailbox mailbox, boolean fetch, Log log) {
    this.session = session;
    this.mailbox = mailbox;
    this.fetching = fetch && session.mail().fetchHost().isPresent();
    this.log = log;
    Path root = session.home().root();
    this.dropFolder = session.config().automation().dropFolder().map(root::resolve);
    this.inboundFolder = session.config().automation().inboundFolder().map(root::resolve);
  }

  /** One line saying what the agent will do each round. */
  public String describe() {
    return String.format("home %s, %sdelivering%s%s, every %s", session.home().root(),
        dropFolder.map(d -> "collecting from " + d + ", ").orElse(""),
        fetching ? " and fetching from " + session.mail().fetchHost().get() : "",
        inboundFolder.map(d -> ", exporting to " + d).orElse(""), readable(session.mail().agentInterval()));
  }

  /** A duration as the settings write it (90s, 5m, 2h, 2d), not as ISO-8601 (PT1M30S). */
  static String readable(Duration d) {
    long ms = d.toMillis();
    for (long[] unit : new long[][] {{86_400_000L, 'd'}, {3_600_000L, 'h'}, {60_000L, 'm'}, {1_000L, 's'}}) {
      if (ms >= unit[0] && ms % unit[0] == 0) {
        return ms / unit[0] + String.valueOf((char) unit[1]);
      }
    }
    return ms + "ms";
  }

  /** One round: drop folder, delivery, fetch (and the notifications it queued), inbound folder, health. */
  public void runRound() {
    dropFolder.ifPresent(this::collect);
    step("delivery round", this::deliver);
    if (fetching) {
      step("fetch", this::fetch);
    }
    inboundFolder.ifPresent(d -> step("inbound folder export", () -> export(d)));
    step("health check", this::watchHealth);
  }

  private void step(String what, Runnable r) {
    try {
      r.run();
    } catch (DirectException e) {
      log.problem(what + " failed: " + e.getMessage());
    }
  }

  /** Takes what the EHR dropped; only counts and Message-IDs are logged (file names may name the patient). */
  private void collect(Path drop) {
    try {
      List<DropFolder.Result> results = session.dropFolder(drop, mailbox).collect();
      long failed = results.stream().filter(r -> r.outcome() == DropFolder.Outcome.FAILED).count();
      if (!results.isEmpty()) {
        log.info(now() + " drop folder: queued " + (results.size() - failed) + ", failed " + failed);
      }
      results.stream().filter(r -> r.outcome() == DropFolder.Outcome.FAILED).forEach(r -> log.problem(
          "a dropped message was not queued (" + r.messageId().orElse("no Message-ID") + "); the answer is in "
              + drop.resolve("failed")));
    } catch (DirectException e) {
      log.problem("drop folder round failed: " + e.getMessage());
    }
  }

  /** The time stamp of a log line: the session's clock, so tests with a fixed clock see fixed lines. */
  private Instant now() {
    return session.clock().instant();
  }

  private void deliver() {
    OutboxWorker.Round r = session.deliver(mailbox).deliverDue(f -> log.problem("delivery FAILED for "
        + f.recipient() + " (message " + f.messageId() + "): " + f.reason()));
    if (r.delivered() + r.retrying() + r.failed().size() > 0) {
      log.info(now() + " delivered " + r.delivered() + ", retrying " + r.retrying() + ", failed "
          + r.failed().size());
    }
  }

  private void fetch() {
    FetchReport f = session.receive(mailbox).fetch(log::info);
    deliver(); // the notifications the fetch queued leave at once
    f.leftForLater().forEach(l -> log.info(now() + " left on the server for the next fetch: " + l));
    if (!f.stored().isEmpty()) {
      long quarantined = f.stored().stream().filter(m -> m.folder() == Folder.QUARANTINE).count();
      log.info(now() + " fetched " + f.stored().size() + " message(s), " + quarantined + " quarantined");
    }
  }

  private void export(Path inbound) {
    int n = new InboundFolder(inbound, mailbox).export();
    if (n > 0) {
      log.info(now() + " inbound folder: exported " + n);
    }
  }

  private void watchHealth() {
    HomeConfig.HealthConfig h = session.config().health();
    HealthAlerts.Change c = alerts.update(new HealthCheck(session.clock(), h.maxQuiet(), h.stuckAfter(), h.window())
        .check(mailbox, session.outbox()));
    c.started().forEach(t -> log.problem("ALERT: " + t));
    c.resolved().forEach(t -> log.problem("resolved: " + t));
  }

  /** How long until the next round: agent.interval, or less when a retry is due sooner. */
  public Duration untilNextRound() {
    Duration wait = session.mail().agentInterval();
    Optional<Instant> next = session.outbox().nextAttempt();
    if (next.isPresent()) {
      Duration untilRetry = Duration.between(session.clock().instant(), next.get());
      if (untilRetry.compareTo(wait) < 0) {
        wait = untilRetry.isNegative() ? Duration.ofMillis(50) : untilRetry;
      }
    }
    return wait;
  }

  /**
   * Sleeps until the next round or until {@code stop} is counted down: in IMAP IDLE when fetching
   * and the server offers it, so new mail ends the wait at once.
   */
  public void awaitWork(CountDownLatch stop) throws InterruptedException {
    Duration wait = untilNextRound();
    if (fetching && wait.toMillis() > 1000) {
      Optional<MailFetcher.IdleSession> idle;
      try {
        idle = session.fetcher().idle(session.fetchSettings());
      } catch (DirectException e) {
        idle = Optional.empty();
      }
      if (idle.isPresent()) {
        try (MailFetcher.IdleSession s = idle.get()) {
          idling.set(s);
          // mail that arrived since the fetch is waiting already (messages leave the server once stored)
          boolean waiting = !session.mail().keepOnServer() && s.messageCount() > 0;
          if (stop.getCount() > 0 && !waiting) {
            s.await(wait);
          }
        } finally {
          idling.set(null);
        }
        return;
      }
    }
    stop.await(Math.max(50, wait.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Ends an IDLE wait early (on shutdown); safe from any thread. */
  public void wake() {
    MailFetcher.IdleSession s = idling.get();
    if (s != null) {
      s.wake();
    }
  }
}
