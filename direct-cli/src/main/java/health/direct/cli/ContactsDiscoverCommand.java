package health.direct.cli;

import health.direct.core.cert.CertificateNames;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.CandidateVerdict;
import health.direct.core.resolve.Discovery;
import health.direct.core.resolve.RecipientCertificates;
import health.direct.core.store.Contact;
import java.io.PrintWriter;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code direct contacts discover ADDR}: what the recipient publishes (DNS CERT, SMIMEA, LDAP), why
 * each certificate was kept or rejected, and the fingerprints to read out over the phone before
 * {@code contacts verify} (the seed's pre-condition).
 */
@Command(name = "discover", mixinStandardHelpOptions = true,
    description = {"Find and validate the certificates ADDR publishes in DNS and LDAP, ignoring the address book.",
        "Exit 0 when a usable certificate was found, 11 when none was."})
final class ContactsDiscoverCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  ContactsCommand parent;
  @Spec
  CommandSpec spec;

  @Mixin
  PublishedLookup lookup;

  @Option(names = "--explain", description = "Also list every question asked and its answer.")
  boolean explain;

  @Option(names = "--json", description = "Print the result as JSON (always with every question asked).")
  boolean json;

  @Override
  public Integer call() {
    DirectAddress a = lookup.address();
    CliContext ctx = parent.root.context();
    Discovery d = lookup.discover(ctx);
    Optional<Contact> known = new health.direct.app.contacts.Contacts(ctx.session()).find(a);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(d, known));
    } else {
      print(out, d, known);
    }
    return d.accepted() ? 0 : Problem.NO_TRUSTED_RECIPIENT.exitCode();
  }

  private void print(PrintWriter out, Discovery d, Optional<Contact> known) {
    out.printf("certificate discovery for %s%n", d.address());
    if (explain) {
      out.println("questions asked");
      for (Attempt at : d.attempts()) {
        out.printf("  %-5s %s%n        -> %s%s%n", at.source(), at.query(), at.outcome(),
            at.dnssec() == health.direct.core.resolve.DnssecStatus.NOT_DNS ? "" : "  [DNSSEC " + at.dnssec().label() + "]");
      }
    }
    if (d.candidates().isEmpty()) {
      out.println("no certificate found");
    }
    for (CandidateVerdict v : d.candidates()) {
      out.printf("%s %s%n", v.kept() ? "KEPT    " : "REJECTED", v.fingerprint().colonForm());
      out.printf("  source       %s%s%n", v.found().source(),
          v.found().dnssec() == health.direct.core.resolve.DnssecStatus.NOT_DNS ? ""
              : " (DNSSEC " + v.found().dnssec().label() + ")");
      Printing.certificate(out, v.found().certificate(), d.address());
      out.printf("  why          %s%n", v.reason());
    }
    if (d.outcome() instanceof RecipientCertificates.Accepted acc) {
      out.printf("result: %s can be sent to, encrypted for %d %s-bound certificate(s)%n", d.address(),
          acc.certificates().size(), acc.level().label());
    } else {
      out.printf("result: %s cannot be sent to: %s%n", d.address(), ((RecipientCertificates.Rejected) d.outcome()).reason());
    }
    out.println("address book: " + addressBookState(d, known));
    if (d.outcome() instanceof RecipientCertificates.Accepted acc) {
      out.println("Before trusting it, read the SHA-256 fingerprint to " + d.address()
          + " over the phone or another channel you trust, then run:");
      for (X509Certificate c : acc.certificates()) {
        out.printf("  direct contacts verify %s --fingerprint %s%n", d.address(), CertificateFingerprint.of(c).hex());
      }
    }
  }

  static String addressBookState(Discovery d, Optional<Contact> known) {
    if (known.isEmpty()) {
      return "not in the address book";
    }
    Contact c = known.get();
    String state = c.verifiedAt().map(t -> "verified " + t).orElse("added " + c.addedAt() + ", not verified");
    if (!(d.outcome() instanceof RecipientCertificates.Accepted acc)) {
      return state;
    }
    boolean same = acc.certificates().stream().allMatch(c.certificates()::contains);
    return state + (same ? "; holds the same certificate(s)"
        : "; holds DIFFERENT certificate(s): the published certificate changed, verify it before trusting it");
  }

  private static String toJson(Discovery d, Optional<Contact> known) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode n = m.createObjectNode();
    n.put("address", d.address().toString());
    n.put("usable", d.accepted());
    if (d.outcome() instanceof RecipientCertificates.Accepted acc) {
      n.put("binding", acc.level().label());
      n.put("source", acc.source());
    } else {
      n.put("reason", ((RecipientCertificates.Rejected) d.outcome()).reason());
    }
    n.put("addressBook", addressBookState(d, known));
    ArrayNode asked = n.putArray("attempts");
    for (Attempt at : d.attempts()) {
      asked.addObject().put("source", at.source()).put("query", at.query()).put("outcome", at.outcome())
          .put("dnssec", at.dnssec().label());
    }
    ArrayNode found = n.putArray("certificates");
    for (CandidateVerdict v : d.candidates()) {
      X509Certificate c = v.found().certificate();
      found.addObject().put("sha256", v.fingerprint().hex()).put("kept", v.kept()).put("reason", v.reason())
          .put("source", v.found().source()).put("dnssec", v.found().dnssec().label())
          .put("binding", v.found().binding().label()).put("subject", CertificateNames.subject(c))
          .put("issuer", CertificateNames.issuer(c))
          .put("notAfter", c.getNotAfter().toInstant().toString());
    }
    return n.toString();
  }

}
