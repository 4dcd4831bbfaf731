package health.direct.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command: the whole conversation on loopback, and what happens when an arc fails. */
class SandboxTest {
  @TempDir
  Path dir;

  @Test
  void everyArcSucceedsAndTheSummaryTableSaysSo() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = SandboxLauncher.run(new String[] {"sandbox", "--dir", dir.resolve("s").toString()},
        new PrintWriter(out, true), new PrintWriter(err, true), Map.of());

    assertThat(exit).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("DNS CERT wei.chen.clinic.example: 1 record, 1 certificate(s) (DNSSEC secure)")
        .contains("MX clinic.example -> mail.clinic.example (DNSSEC secure)")
        .contains("wei.chen@clinic.example: delivered")
        .contains("signer maria.rivera@hospital.example, bound to From")
        .contains("stored in the inbox as message 1: \"Referral: chest pain, please assess\"")
        .contains("dispatched MDN from wei.chen@clinic.example (signed, trusted)")
        .contains("-> wei.chen@clinic.example: dispatched");
    assertThat(out.toString().lines().filter(l -> l.matches("[1-8] .* ok +\\d+ ms"))).hasSize(8);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"unsecured-inbound", "spoofed-dns", "no-certificate",
      "expired-certificate", "ehr-folders"})
  @Tag("risk1")
  @Tag("risk2")
  @Tag("risk8")
  void eachFailureScenarioBehavesAsTheThreatModelRequires(String name) {
    StringWriter out = new StringWriter();

    int exit = SandboxLauncher.run(new String[] {"sandbox", "--scenario", name, "--dir", dir.resolve(name).toString()},
        new PrintWriter(out, true), new PrintWriter(out, true), Map.of());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("result: the client behaved as the threat model requires");
  }

  @Test
  void theScenariosAreListedAndAnUnknownOneIsAUsageError() {
    StringWriter out = new StringWriter();
    assertThat(SandboxLauncher.run(new String[] {"sandbox", "--list"}, new PrintWriter(out, true),
        new PrintWriter(out, true), Map.of())).isZero();
    assertThat(out.toString()).contains("unsecured-inbound").contains("spoofed-dns").contains("no-certificate")
        .contains("expired-certificate").contains("ehr-folders");
    assertThat(SandboxLauncher.run(new String[] {"sandbox", "--scenario", "nope"}, new PrintWriter(out, true),
        new PrintWriter(out, true), Map.of())).isEqualTo(2);
  }

  @Test
  void aFailingArcIsNamedAndTheExitCodeIsNotZero() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      X509Certificate wei = s.specialist().session().identities().publicIdentities().get(0).chain().get(0);
      s.pki.revoke(wei);
      StringWriter out = new StringWriter();

      List<Conversation.Arc> arcs = new Conversation(s, new PrintWriter(out, true)).run();

      assertThat(arcs).hasSize(1);
      assertThat(arcs.get(0).ok()).isFalse();
      assertThat(arcs.get(0).summary()).contains("revoked");
    }
  }

  @Test
  void keepRunningLeavesTheClientsUsableByHandAndStopsOnSigterm() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SandboxLauncher.class.getName(), "sandbox", "--keep-running",
        "--dir", dir.resolve("s").toString()));
    Path log = dir.resolve("sandbox.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.readString(log).contains("Ctrl-C stops everything") && System.nanoTime() < deadline
          && p.isAlive()) {
        Thread.sleep(100);
      }
      String text = Files.readString(log);
      assertThat(text).contains("Ctrl-C stops everything");
      Matcher m = Pattern.compile("\\./direct (--home \\S+wei\\.chen --password-file \\S+) fetch").matcher(text);
      assertThat(m.find()).as(text).isTrue();
      String[] base = m.group(1).split(" ");

      StringWriter out = new StringWriter();
      List<String> args = new ArrayList<>(List.of(base));
      args.add("inbox");
      int exit = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(out, true), Map.of());

      assertThat(exit).as(out.toString()).isZero();
      assertThat(out.toString()).contains("trusted").contains("Referral: chest pain");
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(log)).contains("stopping the sandbox");
  }
}
