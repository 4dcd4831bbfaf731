package health.direct.bench;

import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outbox.RetryPolicy;
import health.direct.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The soak: messages both ways between the sandbox's two organisations, each side's EHR dropping
 * them into its drop folder and each side's {@code direct agent} running as a separate process,
 * while agents are killed with SIGKILL at random moments and started again. At the end it counts
 * what each receiver stored (lost, duplicated), the processed notifications each sender got back
 * (completeness), and the failure notices in the senders' inboxes (each one is false: every
 * message can be delivered).
 *
 * <pre>
 * java -cp 'bench/target/direct-bench.jar:bench/target/lib/*' health.direct.bench.Soak 1000 20
 * </pre>
 * (messages in all, half each way; kills at least; an optional third argument is the time limit in
 * minutes, 30 by default).
 */
public final class Soak {
  private static final String SUBJECT = "soak message ";

  private final Sandbox sandbox;
  private final Path dir;
  private final Path password;
  private final List<Agent> agents = new ArrayList<>();

  private Soak(Sandbox sandbox, Path dir) {
    this.sandbox = sandbox;
    this.dir = dir;
    this.password = sandbox.passwordFile();
  }

  /** One side's agent, a child process started again after each kill. */
  private final class Agent {
    final Sandbox.User user;
    Process process;
    int starts;

    Agent(Sandbox.User user) {
      this.user = user;
    }

    void start() throws IOException {
      starts++;
      Path log = dir.resolve(user.address().localPart() + "-agent-" + starts + ".log");
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "health.direct.cli.Main",
          "--home", user.home().toString(), "--password-file", password.toString(), "agent")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
      process.waitFor();
    }
  }

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int minKills = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Duration limit = Duration.ofMinutes(args.length > 2 ? Long.parseLong(args[2]) : 30);
    Path dir = Files.createTempDirectory("direct-soak");
    try (Sandbox sandbox = Sandbox.start(dir, Clock.systemUTC())) {
      System.exit(new Soak(sandbox, dir).run(total, minKills, limit) ? 0 : 1);
    }
  }

  private boolean run(int total, int minKills, Duration limit) throws Exception {
    Sandbox.User physician = sandbox.physician();
    Sandbox.User specialist = sandbox.specialist();
    for (Sandbox.User u : List.of(physician, specialist)) {
      Path config = u.home().resolve("config.properties");
      Files.writeString(config, Files.readString(config).replace("agent.interval = 30s", "agent.interval = 2s")
          + "automation.drop-folder = drop\n");
      agents.add(new Agent(u));
    }
    int each = total / 2;
    Instant began = Instant.now();
    drop(physician, specialist, each);
    drop(specialist, physician, each);
    System.out.printf(Locale.ROOT, "dropped %d messages each way; agents start%n", each);
    for (Agent a : agents) {
      a.start();
    }

    Random random = new Random(42);
    int kills = 0;
    Instant deadline = began.plus(limit);
    Counts c = count(physician, specialist, each);
    while (Instant.now().isBefore(deadline) && (kills < minKills || !c.complete(each))) {
      // a random moment 3 to 15 s on: a restarted agent gets through its start and into the work first
      Thread.sleep(3000 + random.nextInt(12_000));
      if (kills < minKills) {
        Agent victim = agents.get(random.nextInt(agents.size()));
        victim.kill();
        kills++;
        victim.start();
      }
      c = count(physician, specialist, each);
      System.out.printf(Locale.ROOT, "%4ds  kills %2d  stored %d/%d and %d/%d  processed %d/%d and %d/%d%n",
          Duration.between(began, Instant.now()).toSeconds(), kills, c.toSpecialist, each, c.toPhysician, each,
          c.processedBySpecialist, each, c.processedByPhysician, each);
    }
    for (Agent a : agents) {
      a.kill();
    }
    c = count(physician, specialist, each);
    Duration took = Duration.between(began, Instant.now());
    long lost = 2L * each - c.toSpecialist - c.toPhysician;
    double completeness = 100.0 * (c.processedBySpecialist + c.processedByPhysician) / (2.0 * each);
    System.out.printf(Locale.ROOT, "%n%d messages, %d kill -9 of the agents (%d and %d starts), %d s%n", 2 * each,
        kills, agents.get(0).starts, agents.get(1).starts, took.toSeconds());
    System.out.printf(Locale.ROOT, "lost %d, duplicated %d, processed notifications %.1f%%, failure notices %d%n",
        lost, c.duplicates, completeness, c.failureNotices);
    System.out.println("logs and homes: " + dir);
    return lost == 0 && c.duplicates == 0 && c.failureNotices == 0 && completeness == 100.0;
  }

  /** What the EHR on {@code from}'s side drops: {@code n} messages to {@code to}, each with its own Message-ID. */
  private static void drop(Sandbox.User from, Sandbox.User to, int n) throws IOException {
    Path outgoing = Files.createDirectories(from.home().resolve("drop").resolve("outgoing"));
    for (int i = 1; i <= n; i++) {
      String name = from.address().localPart() + "-" + i;
      String eml = "From: " + from.address() + "\r\nTo: " + to.address() + "\r\nSubject: " + SUBJECT + name
          + "\r\nMessage-ID: <" + name + ".soak@" + from.address().domain() + ">\r\n"
          + "Content-Type: text/plain; charset=UTF-8\r\n\r\nSoak message " + i + " of " + n + ".\r\n";
      Path part = Files.writeString(outgoing.resolve(name + ".part"), eml, StandardCharsets.UTF_8);
      Files.move(part, outgoing.resolve(name + ".eml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** The counts the soak is judged by. */
  private record Counts(long toSpecialist, long toPhysician, long duplicates, long processedBySpecialist,
      long processedByPhysician, long failureNotices) {
    boolean complete(int each) {
      return toSpecialist == each && toPhysician == each && processedBySpecialist == each
          && processedByPhysician == each;
    }
  }

  private static Counts count(Sandbox.User physician, Sandbox.User specialist, int each) throws SQLException {
    long[] atSpecialist = stored(specialist.home());
    long[] atPhysician = stored(physician.home());
    return new Counts(atSpecialist[0], atPhysician[0], atSpecialist[1] + atPhysician[1],
        processed(physician.home()), processed(specialist.home()), atSpecialist[2] + atPhysician[2]);
  }

  /** Distinct soak messages in the inbox, copies beyond the first, and failure notices. */
  private static long[] stored(Path home) throws SQLException {
    Path db = home.resolve("mail").resolve("index.db");
    if (!Files.exists(db)) {
      return new long[3];
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT message_id), COUNT(*),"
            + " (SELECT COUNT(*) FROM messages WHERE folder = 'INBOX' AND subject LIKE 'Undeliverable:%')"
            + " FROM messages WHERE folder = 'INBOX' AND subject LIKE ?")) {
      c.createStatement().execute("PRAGMA busy_timeout = 10000");
      ps.setString(1, SUBJECT + "%");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2) - rs.getLong(1), rs.getLong(3)};
      }
    }
  }

  /** Messages this home sent in the soak whose recipient answered processed (or dispatched). */
  private static long processed(Path home) {
    Outbox outbox = new Outbox(home.resolve("outbox"), Clock.systemUTC(), RetryPolicy.defaults());
    return outbox.list().stream().filter(e -> e.messageId().contains(".soak@"))
        .filter(e -> e.recipients().stream().allMatch(r -> r.receipt() == OutboxEntry.Receipt.PROCESSED
            || r.receipt() == OutboxEntry.Receipt.DISPATCHED))
        .count();
  }
}
