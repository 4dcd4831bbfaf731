package health.direct.sandbox;

import health.direct.app.agent.Agent;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.web.WebServer;
import health.direct.web.WebSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code sandbox --web}: each user's web client, as {@code direct serve} gives it, and each user's
 * agent rounds beside it (delivery, and fetching with IMAP IDLE), so a message sent in one browser
 * tab arrives in the other.
 */
final class WebClients implements AutoCloseable {
  /** One user's web client. */
  record Client(Sandbox.User user, WebServer web, String apiToken) {
    String url() {
      return "http://127.0.0.1:" + web.port() + "/";
    }
  }

  private final List<Client> clients = new ArrayList<>();
  private final List<Thread> agents = new ArrayList<>();
  private final List<Agent> rounds = new ArrayList<>();
  private final List<Mailbox> mailboxes = new ArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);

  static WebClients start(Sandbox sandbox) {
    WebClients w = new WebClients();
    for (Sandbox.User u : List.of(sandbox.physician(), sandbox.specialist())) {
      DirectHome home = new DirectHome(u.home());
      HomeConfig config = HomeConfig.load(home.configFile());
      Mailbox mailbox = u.session().mailbox();
      w.mailboxes.add(mailbox);
      Agent agent = new Agent(u.session(), mailbox, true, new Agent.Log() {
        @Override
        public void info(String line) {
          // the web pages show what arrived; the narration stays quiet
        }

        @Override
        public void problem(String line) {
          System.err.println("direct sandbox: " + u.address() + ": " + line);
        }
      });
      w.rounds.add(agent);
      // the API as direct serve gives it, with a token made for this run (one left from an earlier run is replaced)
      Mailbox apiMailbox = u.session().mailbox();
      w.mailboxes.add(apiMailbox);
      health.direct.app.access.ApiTokens tokens = new health.direct.app.access.ApiTokens(home, Clock.systemUTC());
      if (tokens.list().stream().anyMatch(t -> t.name().equals("sandbox"))) {
        tokens.revoke("sandbox");
      }
      String token = tokens.create("sandbox").secret();
      w.clients.add(new Client(u, WebServer.start(WebSettings.of("127.0.0.1", 0, Duration.ofHours(8)), home, config,
          Clock.systemUTC(), java.util.Optional.of(new health.direct.web.ApiAccess(u.session(), apiMailbox,
              agent::wake))), token));
      Thread t = new Thread(() -> {
        try {
          while (w.stop.getCount() > 0) {
            agent.runRound();
            agent.awaitWork(w.stop);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          System.err.println("direct sandbox: the agent of " + u.address() + " stopped: " + e.getMessage());
        }
      }, "sandbox-agent-" + u.address().localPart());
      t.setDaemon(true);
      t.start();
      w.agents.add(t);
    }
    return w;
  }

  List<Client> clients() {
    return clients;
  }

  @Override
  public void close() {
    stop.countDown();
    rounds.forEach(Agent::wake); // out of IMAP IDLE at once
    for (Thread t : agents) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    clients.forEach(c -> c.web().close());
    mailboxes.forEach(Mailbox::close);
  }
}
