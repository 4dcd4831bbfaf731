package health.direct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the command line for tests: in process (fast, output captured) or in a child JVM (to be
 * killed), and builds homes with an identity, the test root as anchor and a configuration.
 */
final class CliHarness {
  record Run(int exit, String out, String err) {}

  final Path dir;
  /** What the next commands read as standard input. */
  String stdin = "";
  final Map<String, String> env = new HashMap<>(Map.of("DIRECT_PASSWORD", "store-pw", "P12", "pw", "MAIL_PW", "mpw"));

  CliHarness(Path dir) {
    this.dir = dir;
  }

  Run direct(Path home, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int code = Main.run(all, new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Run(code, out.toString(), err.toString());
  }

  /** The same command in a separate JVM; its output goes to {@link #log}. */
  Process child(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--home", home.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** What the child processes printed so far. */
  String log() throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> logs = Files.list(dir)) {
      for (Path f : logs.filter(x -> x.getFileName().toString().startsWith("child-")).sorted().toList()) {
        b.append(Files.readString(f));
      }
    }
    return b.toString();
  }

  /** A home with {@code id} imported, the PKI's root as trust anchor (also for TLS) and {@code config}. */
  Path home(String name, TestIdentity id, TestPki pki, String config) throws Exception {
    Path home = dir.resolve(name);
    Files.write(dir.resolve(name + ".p12"), id.toPkcs12("pw".toCharArray()));
    Path root = Files.writeString(dir.resolve("root.pem"), TestIdentity.pem(pki.root().certificate()));
    assertThat(direct(home, "identity", "import", "--p12", dir.resolve(name + ".p12").toString(),
        "--p12-password-env", "P12").exit()).isZero();
    assertThat(direct(home, "anchors", "add", root.toString()).exit()).isZero();
    Files.writeString(home.resolve("config.properties"), config + "\ntls.trust-anchors = "
        + root.toString().replace("\\", "/") + "\n");
    return home;
  }
}
