package health.direct.cli;

import health.direct.app.contacts.Contacts;
import health.direct.core.store.Contact;
import java.util.List;
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
    CliContext ctx = parent.root.context();
    Contact c = new Contacts(ctx.session()).verify(lookup.address(), fingerprints, lookup.from());
    spec.commandLine().getOut().printf("verified %s: %d certificate(s) pinned; sealing for %s now uses only these%n",
        c.address(), c.certificates().size(), c.address());
    return 0;
  }
}
