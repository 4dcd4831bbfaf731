package health.direct.cli;

import health.direct.app.admin.Anchors;
import health.direct.core.cert.CertificateNames;
import health.direct.core.store.AnchorStore;
import health.direct.core.trust.AnchorScope;
import health.direct.core.trust.TrustAnchor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct anchors ...}: the certificates trust is traced to (TR-01, TR-02). */
@Command(name = "anchors", description = "Manage trust anchors.", mixinStandardHelpOptions = true,
    subcommands = {AnchorsCommand.Add.class, AnchorsCommand.ListAnchors.class, AnchorsCommand.Remove.class})
final class AnchorsCommand {
  @ParentCommand
  DirectCommand root;

  @Command(name = "add", description = "Add every certificate in FILE (PEM, DER, or a PKCS#7 .p7b bundle).",
      mixinStandardHelpOptions = true)
  static final class Add implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    AnchorsCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--scope", defaultValue = "any", paramLabel = "SCOPE",
        description = "Which local addresses it serves: any (default), domain:DOMAIN, or an address.")
    String scope;

    @Override
    public Integer call() {
      List<TrustAnchor> added = new Anchors(parent.root.context().session()).add(InputFiles.read(file),
          file.toString(), AnchorScope.parse(scope));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("added %d anchor(s) from %s%n", added.size(), file);
      for (TrustAnchor a : added) {
        out.printf("  %s  %s  [%s]%n", a.fingerprint().colonForm(), CertificateNames.subject(a.certificate()),
            a.scope());
      }
      return 0;
    }
  }

  @Command(name = "list", description = "List trust anchors.", mixinStandardHelpOptions = true)
  static final class ListAnchors implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    AnchorsCommand parent;
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      var all = new Anchors(parent.root.context().session()).list();
      if (json) {
        var a = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        all.forEach(x -> JsonViews.anchor(a.addObject(), x));
        out.println(a);
        return 0;
      }
      if (all.isEmpty()) {
        out.println("no trust anchors: add one with 'direct anchors add FILE'");
      }
      for (TrustAnchor a : all) {
        out.printf("%s  [%s]%n", CertificateNames.subject(a.certificate()), a.scope());
        out.printf("  sha-256      %s%n  valid        %s .. %s%n", a.fingerprint().colonForm(),
            a.certificate().getNotBefore().toInstant(), a.certificate().getNotAfter().toInstant());
      }
      return 0;
    }
  }

  @Command(name = "remove", description = "Remove the anchor with this SHA-256 fingerprint (8+ hex digits suffice).",
      mixinStandardHelpOptions = true)
  static final class Remove implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    AnchorsCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FINGERPRINT")
    String fingerprint;

    @Override
    public Integer call() {
      for (AnchorStore.Entry e : new Anchors(parent.root.context().session()).remove(fingerprint)) {
        spec.commandLine().getOut().printf("removed %s [%s]%n", e.subject(), e.scope());
      }
      return 0;
    }
  }
}
