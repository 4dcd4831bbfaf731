package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.Problem;
import health.direct.core.dlp.DlpReport;
import health.direct.core.dlp.PhiRules;
import health.direct.core.dlp.PhiScanner;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct dlp scan FILE}: the data-loss-prevention check on a message (risk 1). */
@Command(name = "dlp", mixinStandardHelpOptions = true, description = "Data-loss prevention (risk 1).",
    subcommands = {DlpCommand.Scan.class})
final class DlpCommand {
  @ParentCommand
  DirectCommand root;

  @Command(name = "scan", mixinStandardHelpOptions = true,
      description = {"Look for PHI in a message (subject, body, attachments: text, XML and C-CDA, PDF text, zip "
          + "contents) and say where, never what. Exit 0 when it passes, 17 when it holds PHI.",
          "Rules and threshold: dlp-rules.properties in the home folder, or --rules (docs/dlp.md)."})
  static final class Scan implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    DlpCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An RFC 5322 message (.eml).")
    Path file;

    @Option(names = "--rules", paramLabel = "FILE", description = "A rules file (default: dlp-rules.properties in the home).")
    Path rules;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
      CliContext ctx = parent.root.context();
      DlpReport r = new PhiScanner(PhiRules.load(rules != null ? rules : ctx.session().dlpRulesFile())).scan(file);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode n = new ObjectMapper().createObjectNode().put("passed", r.passed()).put("score", r.score())
            .put("threshold", r.threshold());
        var f = n.putArray("findings");
        r.findings().forEach(x -> f.addObject().put("where", x.where()).put("rule", x.rule())
            .put("description", x.description()).put("count", x.count()).put("weight", x.weight()));
        r.notes().forEach(n.putArray("notes")::add);
        out.println(n);
      } else {
        out.printf("%s (score %d, threshold %d)%n", r.passed() ? "passes: no PHI found" : "HOLDS PHI", r.score(),
            r.threshold());
        r.findings().forEach(x -> out.println("  " + x));
        r.notes().forEach(x -> out.println("  note: " + x));
      }
      return r.passed() ? 0 : Problem.PHI_FOUND.exitCode();
    }
  }
}
