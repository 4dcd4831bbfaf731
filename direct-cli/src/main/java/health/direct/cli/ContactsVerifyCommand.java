package health.direct.cli;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.resolve.CandidateVerdict;
import health.direct.core.resolve.Discovery;
import health.direct.core.store.Contact;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code direct contacts verify ADDR --fingerprint HEX}: after comparing fingerprints out of band,
 * pins the published certificate(s) in the address book and marks the contact verified.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Pin the certificate(s) ADDR publishes, after you compared their SHA-256 fingerprints with the "
        + "correspondent by phone or another trusted channel. Each certificate must be found by discovery and be "
        + "valid now."})
final class ContactsVerifyCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  ContactsCommand parent;
  @Spec
  CommandSpec spec;

  @Mixin
  PublishedLookup lookup;

  @Option(names = "--fingerprint", required = true, paramLabel = "HEX",
      description = "The full SHA-256 fingerprint confirmed out of band (colons allowed); repeatable.")
  List<String> fingerprints;

  @Override
  public Integer call() {
    DirectAddress a = lookup.address();
    CliContext ctx = parent.root.context();
    Discovery d = lookup.discover(ctx);
    List<X509Certificate> pinned = new ArrayList<>();
    for (String text : fingerprints) {
      CertificateFingerprint wanted = CertificateFingerprint.parse(text);
      Optional<CandidateVerdict> match = d.candidates().stream().filter(v -> v.fingerprint().equals(wanted)).findFirst();
      if (match.isEmpty()) {
        throw new DirectException(Problem.NOT_FOUND, "no certificate with fingerprint " + wanted.colonForm() + " is "
            + "published for " + a + " (found: " + (d.candidates().isEmpty() ? "none"
                : String.join(", ", d.candidates().stream().map(v -> v.fingerprint().hex()).toList()))
            + "); run 'direct contacts discover " + a + " --explain'");
      }
      if (!match.get().kept()) {
        throw new DirectException(Problem.UNTRUSTED, "the certificate " + wanted.colonForm() + " published for " + a
            + " cannot be used: " + match.get().reason());
      }
      pinned.add(match.get().found().certificate());
    }
    Contact c = ctx.contacts().addVerified(a, pinned, "verified by fingerprint, found in "
        + d.candidates().stream().filter(v -> pinned.contains(v.found().certificate())).findFirst()
            .map(v -> v.found().source()).orElse("discovery"), ctx.clock.instant());
    spec.commandLine().getOut().printf("verified %s: %d certificate(s) pinned; sealing for %s now uses only these%n",
        c.address(), c.certificates().size(), c.address());
    return 0;
  }
}
