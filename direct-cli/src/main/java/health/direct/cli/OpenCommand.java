package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.Problem;
import health.direct.core.incoming.OpenResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct open}: decrypt, verify and unwrap a received Direct message. */
@Command(name = "open", mixinStandardHelpOptions = true,
    description = {"Decrypt, verify and unwrap a received message.",
        "Writes --out only for a trusted message: decrypted, intact, signed by a certificate bound to From that "
            + "chains to a trust anchor and is not revoked. Otherwise writes nothing and exits non-zero with the "
            + "reason (5 unsecured, 6 no key, 7 altered, 8 untrusted, 9 signer not bound to From, 4 malformed)."})
final class OpenCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "The received message (.eml).")
  Path in;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the plain message when trusted.")
  Path out;

  @Option(names = "--quiet", description = "No progress for a message of 4 MB or more (on a terminal a line; with "
      + "--json, JSON lines on standard error).")
  boolean quiet;

  @Option(names = "--json", description = "Print one JSON object with the verdict and its details.")
  boolean json;

  /**
   * Runs {@code work}, showing on {@code line} twice a second how long opening has taken: the
   * opening reads the file as a whole, so there are no bytes to count on the way.
   */
  private static OpenResult withTicker(ProgressLine line, long size, java.util.function.Supplier<OpenResult> work) {
    if (line.silent()) {
      return work.get();
    }
    line.begin("opening");
    java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors
        .newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "progress");
          t.setDaemon(true);
          return t;
        });
    ticker.scheduleAtFixedRate(() -> line.working("opening", size), 0, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
    try {
      return work.get();
    } finally {
      ticker.shutdownNow();
      line.done("opened", size);
    }
  }

  @Override
  public Integer call() {
    if (!java.nio.file.Files.isRegularFile(in)) {
      throw new health.direct.core.DirectException(Problem.IO, "no such file: " + in);
    }
    long size = in.toFile().length();
    ProgressLine line = size < ProgressLine.LARGE ? ProgressLine.none(spec.commandLine().getErr())
        : ProgressLine.on(spec.commandLine().getErr(), "open", quiet, json);
    OpenResult r = withTicker(line, size, () -> root.context().incoming().open(in, Optional.ofNullable(out)));
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(toJson(r));
    } else if (r instanceof OpenResult.Trusted t) {
      o.printf("trusted: %s%n", t.reason());
      o.printf("  signer       %s  sha-256 %s%n", t.signature().signer().shown(), t.signature().signer().fingerprint());
      o.printf("  anchor       %s  sha-256 %s%n", t.anchor().subject(), t.anchor().fingerprint());
      o.printf("  encryption   %s, %s%n  digest       %s%n  wrapped      %s%n", t.protection().encryption(),
          t.protection().keyTransport(), t.signature().digest(), t.protection().wrapped() ? "yes" : "no");
      t.notes().forEach(n -> o.println("  note: " + n));
      if (out != null) {
        o.println("  written to   " + out);
      }
    }
    if (!r.trusted()) {
      spec.commandLine().getErr().println("direct: " + r.verdict().label() + ": " + Printing.safe(r.reason()));
    }
    return r.problem().map(Problem::exitCode).orElse(0);
  }

  /**
   * One JSON object per verdict with the same fields for all (docs/cli.md): those a verdict does
   * not have are null, so a script can read {@code signer} without first switching on the verdict.
   */
  static String toJson(OpenResult r) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("verdict", r.verdict().label());
    n.put("reason", r.reason());
    n.put("exitCode", r.problem().map(Problem::exitCode).orElse(0));
    for (String f : List.of("from", "signer", "anchor", "encryption", "keyTransport", "digest")) {
      n.putNull(f);
    }
    n.put("legacyDigest", false);
    n.put("wrapped", false);
    n.putArray("notes");
    r.accept(new OpenResult.Cases<Void>() {
      @Override
      public Void trusted(OpenResult.Trusted t) {
        n.put("from", t.from());
        signature(n, t.signature());
        party(n.putObject("anchor"), t.anchor()).remove("address");
        protection(n, t.protection());
        t.notes().forEach(x -> n.withArray("notes").add(x));
        return null;
      }

      @Override
      public Void untrusted(OpenResult.Untrusted u) {
        n.put("from", u.from());
        signature(n, u.signature());
        protection(n, u.protection());
        return null;
      }

      @Override
      public Void invalid(OpenResult.Invalid i) {
        n.put("from", i.from());
        i.signer().ifPresent(s -> party(n.putObject("signer"), s));
        i.digest().ifPresent(d -> n.put("digest", d));
        protection(n, i.protection());
        return null;
      }

      @Override
      public Void unsecured(OpenResult.Unsecured u) {
        return null;
      }

      @Override
      public Void failed(OpenResult.Failed f) {
        return null;
      }
    });
    return n.toString();
  }

  private static void signature(ObjectNode n, OpenResult.Signature s) {
    party(n.putObject("signer"), s.signer());
    n.put("digest", s.digest());
    n.put("legacyDigest", s.legacyDigest());
  }

  private static ObjectNode party(ObjectNode x, OpenResult.Party p) {
    p.address().ifPresentOrElse(a -> x.put("address", a), () -> x.putNull("address"));
    x.put("subject", p.subject());
    x.put("sha256", p.fingerprint());
    return x;
  }

  private static void protection(ObjectNode n, OpenResult.Protection p) {
    n.put("encryption", p.encryption());
    n.put("keyTransport", p.keyTransport());
    n.put("wrapped", p.wrapped());
  }
}
