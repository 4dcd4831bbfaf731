package health.direct.cli;

import health.direct.core.address.DirectAddress;
import health.direct.core.resolve.Discovery;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operands of a look-up of what an address publishes: ADDR, and whose trust anchors judge the
 * answer. Shared by {@code contacts discover} and {@code contacts verify}, which must see the same
 * certificates for the fingerprints read out over the phone to match.
 */
final class PublishedLookup {
  @Parameters(paramLabel = "ADDR")
  String address;

  @Option(names = "--from", paramLabel = "LOCAL",
      description = "The local address whose trust anchors apply (default: the anchors not scoped to one).")
  String from;

  DirectAddress address() {
    return DirectAddress.parse(address);
  }

  /** The local address whose anchors judge the answer, if given. */
  java.util.Optional<DirectAddress> from() {
    return java.util.Optional.ofNullable(from).map(DirectAddress::parse);
  }

  /** What ADDR publishes in DNS and LDAP, the address book left out. */
  Discovery discover(CliContext ctx) {
    return new health.direct.app.contacts.Contacts(ctx.session()).discover(address(), from());
  }
}
