package health.direct.core.resolve;

/**
 * What DNSSEC validation said about a DNS answer (the seed's risk 2). Only {@link #SECURE} proves
 * the answer came from the zone owner; a {@link #BOGUS} answer is never used.
 */
public enum DnssecStatus {
  /** Signed and validated up to a configured DNSSEC trust anchor. */
  SECURE,
  /** Not covered by a DNSSEC trust anchor, or the zone is unsigned: usable, but unproven. */
  INSECURE,
  /** Signatures missing or wrong where a trust anchor says they must be: possibly spoofed. */
  BOGUS,
  /** DNSSEC validation is switched off in the configuration. */
  UNCHECKED,
  /** The source is not DNS (address book, LDAP). */
  NOT_DNS;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
