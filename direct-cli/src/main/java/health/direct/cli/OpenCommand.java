package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.Problem;
import health.direct.core.incoming.OpenResult;
import java.io.PrintWriter;
import java.nio.file.Path;
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

  @Option(names = "--json", description = "Print one JSON object with the verdict and its details.")
  boolean json;

  @Override
  public Integer call() {
    if (!java.nio.file.Files.isRegularFile(in)) {
      throw new health.direct.core.DirectException(Problem.IO, "no such file: " + in);
    }
    OpenResult r = root.context().incoming().open(in, Optional.ofNullable(out));
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(toJson(r));
    } else if (r.trusted()) {
      o.printf("trusted: %s%n", r.reason());
      r.signer().ifPresent(s -> o.printf("  signer       %s  sha-256 %s%n", s.address().orElse(s.subject()), s.fingerprint()));
      r.anchor().ifPresent(a -> o.printf("  anchor       %s  sha-256 %s%n", a.subject(), a.fingerprint()));
      o.printf("  encryption   %s, %s%n  digest       %s%n  wrapped      %s%n", r.encryption().orElse("?"),
          r.keyTransport().orElse("?"), r.digest().orElse("?"), r.wrapped() ? "yes" : "no");
      r.notes().forEach(n -> o.println("  note: " + n));
      if (out != null) {
        o.println("  written to   " + out);
      }
    }
    if (!r.trusted()) {
      spec.commandLine().getErr().println("direct: " + r.verdict().label() + ": " + r.reason());
    }
    return r.problem().map(Problem::exitCode).orElse(0);
  }

  static String toJson(OpenResult r) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode n = m.createObjectNode();
    n.put("verdict", r.verdict().label());
    n.put("reason", r.reason());
    r.problem().ifPresentOrElse(p -> n.put("exitCode", p.exitCode()), () -> n.put("exitCode", 0));
    r.from().ifPresentOrElse(f -> n.put("from", f), () -> n.putNull("from"));
    r.signer().ifPresentOrElse(s -> {
      ObjectNode x = n.putObject("signer");
      s.address().ifPresentOrElse(a -> x.put("address", a), () -> x.putNull("address"));
      x.put("subject", s.subject());
      x.put("sha256", s.fingerprint());
    }, () -> n.putNull("signer"));
    r.anchor().ifPresentOrElse(a -> {
      ObjectNode x = n.putObject("anchor");
      x.put("subject", a.subject());
      x.put("sha256", a.fingerprint());
    }, () -> n.putNull("anchor"));
    r.encryption().ifPresentOrElse(e -> n.put("encryption", e), () -> n.putNull("encryption"));
    r.keyTransport().ifPresentOrElse(e -> n.put("keyTransport", e), () -> n.putNull("keyTransport"));
    r.digest().ifPresentOrElse(e -> n.put("digest", e), () -> n.putNull("digest"));
    n.put("legacyDigest", r.legacyDigest());
    n.put("wrapped", r.wrapped());
    r.notes().forEach(x -> n.withArray("notes").add(x));
    return n.toString();
  }
}
