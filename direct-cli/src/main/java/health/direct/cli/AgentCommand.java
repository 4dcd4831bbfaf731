package health.direct.cli;

import health.direct.app.agent.Agent;
import health.direct.core.mailbox.Mailbox;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code direct agent}: runs {@link Agent} rounds in the foreground and prints what they report.
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
    return run(root.context(), spec.commandLine().getOut(), spec.commandLine().getErr(), !noFetch, once);
  }

  /**
   * Runs agent rounds until SIGTERM or Ctrl-C (or one, with {@code once}), printing what they
   * report; {@code direct serve} runs the same loop beside its web server.
   */
  static int run(CliContext ctx, PrintWriter out, PrintWriter err, boolean fetch, boolean once)
      throws InterruptedException {
    return run(ctx, out, err, fetch, once, agent -> { });
  }

  /** As above, telling {@code started} the agent before its first round (so that it can be woken). */
  static int run(CliContext ctx, PrintWriter out, PrintWriter err, boolean fetch, boolean once,
      java.util.function.Consumer<Agent> started) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Agent.Log log = new Agent.Log() {
      @Override
      public void info(String line) {
        out.println(line);
        out.flush();
      }

      @Override
      public void problem(String line) {
        err.println("direct: " + line);
        err.flush();
      }
    };
    try (Mailbox mailbox = ctx.mailbox()) {
      Agent agent = new Agent(ctx.session(), mailbox, fetch, log);
      if (!once) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          stop.countDown();
          agent.wake();
          try {
            stopped.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "direct-agent-shutdown"));
      }
      started.accept(agent);
      out.println("agent: " + agent.describe());
      out.flush();
      try {
        while (stop.getCount() > 0) {
          agent.runRound();
          if (once) {
            break;
          }
          agent.awaitWork(stop);
        }
      } finally {
        out.println("agent: stopped");
        out.flush();
      }
    } finally {
      stopped.countDown();
    }
    return 0;
  }
}
