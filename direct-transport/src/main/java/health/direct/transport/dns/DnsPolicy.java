package health.direct.transport.dns;

import health.direct.core.address.DirectAddress;
import health.direct.core.resolve.DnssecStatus;
import java.util.Optional;

/** When a DNS answer must not be used for discovery, and what to tell the user. */
final class DnsPolicy {
  private DnsPolicy() {}

  static Optional<String> refusal(DnsAnswer answer, boolean requireSecure, DirectAddress address) {
    if (answer.dnssec() == DnssecStatus.BOGUS) {
      return Optional.of("the DNS answer for " + answer.question() + " failed DNSSEC validation ("
          + answer.detail() + "): it may be spoofed, so no certificate is taken from DNS for " + address
          + ". If every lookup fails like this, the DNS server in use strips DNSSEC records: point dns.servers"
          + " at a DNSSEC-aware resolver (dns.dnssec.trust-anchors = none switches validation off)");
    }
    if (answer.failed()) {
      return Optional.of("cannot tell which certificates " + address + " publishes: DNS " + answer.question() + " "
          + answer.summary() + "; try again later");
    }
    if (requireSecure && answer.dnssec() != DnssecStatus.SECURE) {
      return Optional.of("the DNS answer for " + answer.question() + " is not DNSSEC-secure ("
          + answer.dnssec().label() + ") and dns.dnssec.require is on");
    }
    return Optional.empty();
  }
}
