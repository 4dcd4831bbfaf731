package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.Problem;
import health.direct.core.health.HealthCheck;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.store.HomeConfig;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct health}: is mail still flowing? For cron and monitoring (risk 5). */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = {"Check that mail still flows: exit 16 with the reasons when nothing has arrived for "
        + "health.max-quiet, when delivery notifications from a domain are overdue, or when a message has waited in "
        + "the outbox longer than health.stuck-after; exit 0 otherwise. Meant for cron or a monitoring system."})
final class HealthCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = root.context();
    HomeConfig.HealthConfig h = ctx.config().health();
    HealthCheck.Report r;
    try (Mailbox box = ctx.mailbox()) {
      r = new HealthCheck(ctx.clock, h.maxQuiet(), h.stuckAfter(), h.window()).check(box, ctx.outbox());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode().put("healthy", r.healthy());
      r.alerts().forEach(n.putArray("alerts")::add);
      r.notes().forEach(n.putArray("notes")::add);
      out.println(n);
    } else {
      out.println(r.healthy() ? "healthy" : "UNHEALTHY");
      r.alerts().forEach(a -> out.println("  alert: " + a));
      r.notes().forEach(a -> out.println("  " + a));
    }
    return r.healthy() ? 0 : Problem.UNHEALTHY.exitCode();
  }
}
