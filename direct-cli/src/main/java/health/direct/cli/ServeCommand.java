package health.direct.cli;

import health.direct.web.ApiAccess;
import health.direct.web.WebServer;
import health.direct.web.WebSettings;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code direct serve}: the web client for this home on a loopback address, with the agent's
 * rounds (drop folder, outbox, fetch) beside it, until SIGTERM or Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the web mail client for this home on 127.0.0.1 (sign in with the store password), and run "
        + "the agent's rounds beside it (as 'direct agent'), and the HTTP API for EHRs under /api/v1 (bearer tokens "
        + "from 'direct api-token create').",
        "Without TLS only a loopback address is served: give --tls-cert and --tls-key to serve HTTPS on another address, "
            + "or reach it through an SSH tunnel."})
final class ServeCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: serve.port, else 8025; 0: any "
      + "free port).")
  Integer port;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default: serve.host, else "
      + "127.0.0.1); an address other than loopback needs TLS.")
  String host;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate chain (PEM, the "
      + "server's first; default: serve.tls.cert).")
  java.nio.file.Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (PEM, unencrypted, "
      + "owner-only; default: serve.tls.key).")
  java.nio.file.Path tlsKey;

  @Option(names = "--idle", paramLabel = "MINUTES", description = "Sign a browser out after this many idle minutes "
      + "(default 15).")
  int idleMinutes = 15;

  @Option(names = "--no-agent", description = "Serve only; leave delivery and fetching to a separate 'direct agent'.")
  boolean noAgent;

  @Override
  public Integer call() throws InterruptedException {
    CliContext ctx = root.context();
    PrintWriter out = spec.commandLine().getOut();
    health.direct.core.store.ServeConfig sc = ctx.config().serve();
    String h = host != null ? host : sc.host();
    int p = port != null ? port : sc.port();
    Duration idle = Duration.ofMinutes(Math.max(1, idleMinutes));
    java.util.Optional<java.nio.file.Path> cert = java.util.Optional.ofNullable(tlsCert).or(sc::tlsCert);
    java.util.Optional<java.nio.file.Path> key = java.util.Optional.ofNullable(tlsKey).or(sc::tlsKey);
    if (cert.isPresent() != key.isPresent()) {
      throw new health.direct.core.DirectException(health.direct.core.Problem.USAGE, "TLS needs both a certificate "
          + "and its key: give --tls-cert and --tls-key together");
    }
    WebSettings settings = cert.isPresent()
        ? WebSettings.tls(h, p, idle, health.direct.core.cert.ServerKeyMaterial.load(cert.get(), key.get()))
        : WebSettings.of(h, p, idle);
    // the API works with the session this process unlocked at start; the agent, once running, is woken
    // by each message the API queues
    java.util.concurrent.atomic.AtomicReference<health.direct.app.agent.Agent> agent =
        new java.util.concurrent.atomic.AtomicReference<>();
    ApiAccess api = new ApiAccess(ctx.session(), ctx.mailbox(), () -> {
      health.direct.app.agent.Agent a = agent.get();
      if (a != null) {
        a.wake();
      }
    });
    try (WebServer web = WebServer.start(settings, ctx.home, ctx.config(), java.time.Clock.systemUTC(),
        java.util.Optional.of(api))) {
      String base = settings.scheme() + "://" + settings.host().getHostAddress() + ":" + web.port();
      out.printf("serve: the web client is at %s/ (sign in with the store password of %s)%n", base, ctx.home.root());
      out.printf("serve: the API is at %s/api/v1/ (described at %s/api/v1/openapi.json; tokens: 'direct api-token "
          + "create NAME')%n", base, base);
      out.flush();
      if (noAgent) {
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "direct-serve-shutdown"));
        stop.await();
        return 0;
      }
      return AgentCommand.run(ctx, out, spec.commandLine().getErr(), true, false, agent::set);
    } finally {
      api.mailbox().close();
    }
  }
}
