package health.direct.cli;

import health.direct.app.contacts.Contacts;
import health.direct.core.cert.CertificateNames;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateReader;
import health.direct.core.store.Contact;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct contacts ...}: the address book (arc 1). */
@Command(name = "contacts", description = "Manage the address book.", mixinStandardHelpOptions = true,
    subcommands = {ContactsCommand.Add.class, ContactsCommand.ListContacts.class, ContactsCommand.Show.class,
        ContactsDiscoverCommand.class, ContactsVerifyCommand.class, ContactsSendTestCommand.class})
final class ContactsCommand {
  @ParentCommand
  DirectCommand root;

  @Command(name = "add", description = "Add or replace a contact with the certificate(s) in FILE.",
      mixinStandardHelpOptions = true)
  static final class Add implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ContactsCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ADDR")
    String address;

    @Option(names = "--cert", required = true, paramLabel = "FILE", description = "PEM, DER or PKCS#7.")
    Path cert;

    @Override
    public Integer call() {
      DirectAddress a = DirectAddress.parse(address);
      List<X509Certificate> certs = CertificateReader.read(InputFiles.read(cert), cert.toString());
      List<X509Certificate> unbound = certs.stream()
          .filter(c -> CertificateBinding.of(c, a) == CertificateBinding.Kind.NONE).toList();
      if (!unbound.isEmpty()) {
        throw new DirectException(Problem.MALFORMED_INPUT, "certificate '"
            + CertificateNames.subject(unbound.get(0)) + "' in " + cert + " is bound to neither " + a
            + " nor " + a.domain() + " (AS-02): it could never be used for this contact");
      }
      CliContext ctx = parent.root.context();
      Contact c = new Contacts(ctx.session()).add(a, certs, "imported from " + cert.getFileName());
      spec.commandLine().getOut().printf("added %s with %d certificate(s)%n", c.address(), c.certificates().size());
      return 0;
    }
  }

  @Command(name = "list", description = "List contacts.", mixinStandardHelpOptions = true)
  static final class ListContacts implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ContactsCommand parent;
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<Contact> all = new Contacts(parent.root.context().session()).list();
      if (json) {
        var a = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        all.forEach(c -> JsonViews.contact(a.addObject(), c, false));
        out.println(a);
        return 0;
      }
      if (all.isEmpty()) {
        out.println("the address book is empty: add a contact with 'direct contacts add ADDR --cert FILE'");
      }
      for (Contact c : all) {
        out.printf("%-40s %d certificate(s), %s, %s%n", c.address(), c.certificates().size(),
            c.verifiedAt().map(t -> "verified " + t).orElse("not verified"), c.source());
      }
      return 0;
    }
  }

  @Command(name = "show", description = "Show a contact's certificates: fingerprint, validity, binding, source.",
      mixinStandardHelpOptions = true)
  static final class Show implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ContactsCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ADDR")
    String address;

    @picocli.CommandLine.Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
      DirectAddress a = DirectAddress.parse(address);
      Contact c = new Contacts(parent.root.context().session()).find(a).orElseThrow(() ->
          new DirectException(Problem.NOT_FOUND, "no contact " + a + " in the address book"));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(JsonViews.contact(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(), c, true));
        return 0;
      }
      out.printf("%s%n  source       %s%n  added        %s%n  verified     %s%n", c.address(), c.source(), c.addedAt(),
          c.verifiedAt().map(Object::toString).orElse("no (compare fingerprints, then 'direct contacts verify')"));
      for (X509Certificate cert : c.certificates()) {
        out.println("certificate");
        Printing.certificate(out, cert, c.address());
      }
      return 0;
    }
  }
}
