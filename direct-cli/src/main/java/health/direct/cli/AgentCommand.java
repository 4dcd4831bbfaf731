package health.direct.cli;

import health.direct.core.DirectException;
import health.direct.core.automation.DropFolder;
import health.direct.core.automation.InboundFolder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxWorker;
import health.direct.transport.fetch.FetchReport;
import health.direct.transport.fetch.MailFetcher;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code direct agent}: the long-running client. Each round delivers what is due in the outbox and
 * fetches new mail; between rounds it sleeps for agent.interval, or less when a retry is due.
 * SIGTERM (or Ctrl-C) lets the current round finish, then it exits; state is on disk after every
 * step, so even a kill -9 loses nothing.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Run in the foreground: take messages from the drop folder (automation.drop-folder), deliver the "
        + "outbox (with retries), fetch new mail and copy trusted mail to the inbound folder "
        + "(automation.inbound-folder) every agent.interval.",
        "Stops cleanly on SIGTERM or Ctrl-C after the step in progress."})
final class AgentCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--once", description = "Run one round and exit.")
  boolean once;

  @Option(names = "--no-fetch", description = "Only deliver; do not fetch.")
  boolean noFetch;

  @Override
  public Integer call() throws InterruptedException {
    CliContext ctx = root.context();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<MailFetcher.IdleSession> idling =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread hook = new Thread(() -> {
      stop.countDown();
      MailFetcher.IdleSession idle = idling.get();
      if (idle != null) {
        idle.wake();
      }
      try {
        stopped.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "direct-agent-shutdown");
    if (!once) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    boolean fetching = !noFetch && ctx.mail().fetchHost().isPresent();
    java.util.Optional<java.nio.file.Path> drop = ctx.config().automation().dropFolder().map(ctx.home.root()::resolve);
    java.util.Optional<java.nio.file.Path> inbound =
        ctx.config().automation().inboundFolder().map(ctx.home.root()::resolve);
    out.printf("agent: home %s, %sdelivering%s%s, every %s%n", ctx.home.root(),
        drop.map(d -> "collecting from " + d + ", ").orElse(""),
        fetching ? " and fetching from " + ctx.mail().fetchHost().get() : "",
        inbound.map(d -> ", exporting to " + d).orElse(""), ctx.mail().agentInterval());
    out.flush();
    try (Mailbox mailbox = ctx.mailbox()) {
      while (stop.getCount() > 0) {
        round(ctx, mailbox, drop, fetching, out, err);
        inbound.ifPresent(d -> export(mailbox, d, out, err));
        if (once) {
          break;
        }
        Duration wait = ctx.mail().agentInterval();
        var next = ctx.outbox().nextAttempt();
        if (next.isPresent()) {
          Duration untilRetry = Duration.between(Instant.now(), next.get());
          if (untilRetry.compareTo(wait) < 0) {
            wait = untilRetry.isNegative() ? Duration.ofMillis(50) : untilRetry;
          }
        }
        waitForWork(ctx, fetching, wait, stop, idling);
      }
    } finally {
      out.println("agent: stopped");
      out.flush();
      stopped.countDown();
    }
    return 0;
  }

  /** Sleeps until the next round: in IMAP IDLE when the server offers it, so new mail is fetched at once. */
  private static void waitForWork(CliContext ctx, boolean fetching, Duration wait, CountDownLatch stop,
      java.util.concurrent.atomic.AtomicReference<MailFetcher.IdleSession> idling) throws InterruptedException {
    if (fetching && wait.toMillis() > 1000) {
      java.util.Optional<MailFetcher.IdleSession> idle;
      try {
        idle = ctx.fetcher().idle(ctx.fetchSettings());
      } catch (DirectException e) {
        idle = java.util.Optional.empty();
      }
      if (idle.isPresent()) {
        try (MailFetcher.IdleSession session = idle.get()) {
          idling.set(session);
          // mail that arrived since the fetch is waiting already (messages leave the server once stored)
          boolean waiting = !ctx.mail().keepOnServer() && session.messageCount() > 0;
          if (stop.getCount() > 0 && !waiting) {
            session.await(wait);
          }
        } finally {
          idling.set(null);
        }
        return;
      }
    }
    stop.await(Math.max(50, wait.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Health alerts already reported, by incident, so each is logged once when it starts and once when it ends. */
  private final java.util.Map<String, String> activeAlerts = new java.util.HashMap<>();

  private void watchHealth(CliContext ctx, Mailbox mailbox, PrintWriter err) {
    health.direct.core.store.HomeConfig.HealthConfig h = ctx.config().health();
    var report = new health.direct.core.health.HealthCheck(ctx.clock, h.maxQuiet(), h.stuckAfter(), h.window())
        .check(mailbox, ctx.outbox());
    java.util.Set<String> now = new java.util.HashSet<>();
    for (var a : report.alertList()) {
      now.add(a.key());
      if (activeAlerts.putIfAbsent(a.key(), a.text()) == null) {
        err.println("direct: ALERT: " + a.text());
      }
    }
    activeAlerts.entrySet().removeIf(e -> {
      if (!now.contains(e.getKey())) {
        err.println("direct: resolved: " + e.getValue());
        return true;
      }
      return false;
    });
    err.flush();
  }

  /**
   * Takes what the EHR dropped. Only counts and Message-IDs are logged: file names are the EHR's
   * and may name the patient.
   */
  private static void collect(CliContext ctx, Mailbox mailbox, java.nio.file.Path drop, PrintWriter out,
      PrintWriter err) {
    try {
      java.util.List<DropFolder.Result> results =
          new DropFolder(drop, ctx.client().sender(mailbox), ctx.outbox(), ctx.clock).collect();
      long failed = results.stream().filter(r -> r.outcome() == DropFolder.Outcome.FAILED).count();
      if (!results.isEmpty()) {
        out.printf("%s drop folder: queued %d, failed %d%n", Instant.now(), results.size() - failed, failed);
      }
      results.stream().filter(r -> r.outcome() == DropFolder.Outcome.FAILED).forEach(r -> err.println(
          "direct: a dropped message was not queued (" + r.messageId().orElse("no Message-ID") + "); the answer is in "
              + drop.resolve("failed")));
    } catch (DirectException e) {
      err.println("direct: drop folder round failed: " + e.getMessage());
    }
  }

  /** Copies new trusted inbox messages to the EHR's import folder. */
  private static void export(Mailbox mailbox, java.nio.file.Path inbound, PrintWriter out, PrintWriter err) {
    try {
      int n = new InboundFolder(inbound, mailbox).export();
      if (n > 0) {
        out.printf("%s inbound folder: exported %d%n", Instant.now(), n);
      }
    } catch (DirectException e) {
      err.println("direct: inbound folder export failed: " + e.getMessage());
    }
    out.flush();
    err.flush();
  }

  private void round(CliContext ctx, Mailbox mailbox, java.util.Optional<java.nio.file.Path> drop, boolean fetching,
      PrintWriter out, PrintWriter err) {
    drop.ifPresent(d -> collect(ctx, mailbox, d, out, err));
    try {
      OutboxWorker.Round r = MailRounds.deliver(ctx, mailbox, err);
      if (r.delivered() + r.retrying() + r.failed().size() > 0) {
        out.printf("%s delivered %d, retrying %d, failed %d%n", Instant.now(), r.delivered(), r.retrying(),
            r.failed().size());
      }
    } catch (DirectException e) {
      err.println("direct: delivery round failed: " + e.getMessage());
    }
    if (fetching) {
      try {
        FetchReport f = MailRounds.fetch(ctx, mailbox, out);
        if (!f.stored().isEmpty()) {
          long quarantined = f.stored().stream().filter(m -> m.folder() == health.direct.core.mailbox.Folder.QUARANTINE)
              .count();
          out.printf("%s fetched %d message(s), %d quarantined%n", Instant.now(), f.stored().size(), quarantined);
        }
      } catch (DirectException e) {
        err.println("direct: fetch failed: " + e.getMessage());
      }
    }
    try {
      watchHealth(ctx, mailbox, err);
    } catch (DirectException e) {
      err.println("direct: health check failed: " + e.getMessage());
    }
    out.flush();
    err.flush();
  }
}
