package health.direct.sandbox;

import health.direct.core.io.SecureFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct sandbox}: the whole conversation on this machine, narrated; optionally left running. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = {"Start two organisations on loopback (PKI, DNS with DNSSEC, LDAP, two mail servers, two client "
        + "homes) and run the Simple SMTP conversation arc by arc: discovery, keys, MX, seal and deliver, fetch, "
        + "verify and open. Exit 0 when every arc succeeds; otherwise 1 and the failing arc.",
        "--keep-running leaves everything up and prints the commands to use each client by hand."})
final class SandboxCommand implements java.util.concurrent.Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--keep-running", description = "Leave the servers running until Ctrl-C.")
  boolean keepRunning;

  @Option(names = "--web", description = "After the conversation, serve each user's web client (as 'direct serve') "
      + "and print where; runs until Ctrl-C.")
  boolean web;

  @Option(names = "--scenario", paramLabel = "NAME",
      description = "Run one of the seed's failure cases instead of the conversation (see --list).")
  String scenario;

  @Option(names = "--list", description = "Name the failure scenarios.")
  boolean list;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where to put the homes and files (default: a new temporary folder, removed at the end).")
  Path dir;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      for (Scenarios.Scenario sc : Scenarios.all()) {
        out.printf("%-20s %s%n", sc.name(), sc.description());
      }
      return 0;
    }
    Scenarios.Scenario chosen = null;
    if (scenario != null) {
      chosen = Scenarios.named(scenario).orElseThrow(() -> new picocli.CommandLine.ParameterException(
          spec.commandLine(), "no scenario '" + scenario + "'; 'direct sandbox --list' names them"));
    }
    boolean temporary = dir == null;
    Path where = temporary ? Files.createTempDirectory("direct-sandbox-") : dir.toAbsolutePath();
    out.println("direct sandbox: two organisations on this machine, in " + where);
    out.flush();
    Sandbox sandbox = Sandbox.start(where, Clock.systemUTC());
    try {
      for (String s : sandbox.services()) {
        out.println("  " + s);
      }
      out.printf("  users      %s <%s>, %s%n             %s <%s>, %s%n", sandbox.physician().name(),
          sandbox.physician().address(), sandbox.physician().role(), sandbox.specialist().name(),
          sandbox.specialist().address(), sandbox.specialist().role());
      if (chosen != null) {
        out.printf("%nscenario %s: %s%n", chosen.name(), chosen.description());
        boolean asSeedSays;
        try {
          asSeedSays = chosen.check().run(sandbox, out);
        } catch (Exception e) {
          out.println("    the scenario could not run: " + e);
          asSeedSays = false;
        }
        out.printf("%nresult: %s%n", asSeedSays ? "the client behaved as the threat model requires"
            : "the client did NOT behave as the threat model requires");
        out.flush();
        return asSeedSays ? 0 : 1;
      }
      List<Conversation.Arc> arcs = new Conversation(sandbox, out).run();
      summary(out, arcs);
      boolean ok = arcs.size() == 8 && arcs.stream().allMatch(Conversation.Arc::ok);
      if (web) {
        try (WebClients clients = WebClients.start(sandbox)) {
          webInstructions(out, sandbox, clients);
          awaitCtrlC(out);
        }
      } else if (keepRunning) {
        instructions(out, sandbox);
        awaitCtrlC(out);
      }
      return ok ? 0 : 1;
    } finally {
      sandbox.close();
      if (temporary) {
        SecureFiles.deleteTree(where);
      }
      stopped.countDown();
    }
  }

  /** Counted down once everything is stopped and removed, so a Ctrl-C waits for the clean-up. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  private static void summary(PrintWriter out, List<Conversation.Arc> arcs) {
    out.printf("%n%-4s %-60s %-7s %8s%n", "arc", "", "result", "time");
    Duration total = Duration.ZERO;
    for (Conversation.Arc a : arcs) {
      out.printf("%-4d %-60s %-7s %6d ms%n", a.number(), a.name(), a.ok() ? "ok" : "FAILED", a.time().toMillis());
      total = total.plus(a.time());
    }
    out.printf("%-4s %-60s %-7s %6d ms%n", "", "total", "", total.toMillis());
    arcs.stream().filter(a -> !a.ok()).findFirst()
        .ifPresent(a -> out.printf("%nfailed at arc %d (%s): %s%n", a.number(), a.name(), a.summary()));
    out.flush();
  }

  private static void webInstructions(PrintWriter out, Sandbox s, WebClients clients) throws IOException {
    String password = Files.readAllLines(s.passwordFile()).get(0);
    out.println();
    out.println("The web clients are up. Open each in its own browser tab:");
    for (WebClients.Client c : clients.clients()) {
      out.printf("%n  %s <%s>, %s%n    %s%n    API: %sapi/v1/ with 'Authorization: Bearer %s'%n", c.user().name(),
          c.user().address(), c.user().role(), c.url(), c.url(), c.apiToken());
    }
    out.printf("%nSign in to either with the sandbox's store password: %s%n", password);
    out.printf("Write to %s from the first tab (New message); it arrives in the second within seconds.%n",
        s.specialist().address());
    WebClients.Client first = clients.clients().get(0);
    out.printf("An EHR sends through the API the same way:%n  curl -s %sapi/v1/messages -H 'Authorization: Bearer %s' "
        + "-H 'Content-Type: application/json' -d '{\"to\": [\"%s\"], \"subject\": \"Referral\", \"text\": "
        + "\"Please see the patient.\"}'%n", first.url(), first.apiToken(), s.specialist().address());
    out.println("Ctrl-C stops everything.");
    out.flush();
  }

  private static void instructions(PrintWriter out, Sandbox s) {
    out.println();
    out.println("Everything stays up. From another terminal:");
    for (Sandbox.User u : List.of(s.physician(), s.specialist())) {
      String d = "./direct --home " + u.home() + " --password-file " + s.passwordFile();
      Sandbox.User other = u == s.physician() ? s.specialist() : s.physician();
      out.printf("%n  %s <%s>%n", u.name(), u.address());
      out.printf("    %s send --to %s --subject \"Hello\" --body \"A test message\"%n", d, other.address());
      out.printf("    %s contacts discover %s --explain%n", d, other.address());
      out.printf("    %s fetch && %s inbox%n", d, d);
      out.printf("    %s read 1%n", d);
      out.printf("    %s outbox%n", d);
      out.printf("    %s agent%n", d);
    }
    out.println();
    out.println("Settings are in each home's config.properties. Ctrl-C stops everything.");
    out.flush();
  }

  private void awaitCtrlC(PrintWriter out) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    stop.await();
    out.println("stopping the sandbox");
    out.flush();
  }
}
