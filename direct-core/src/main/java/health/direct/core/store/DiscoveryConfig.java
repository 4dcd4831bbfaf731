package health.direct.core.store;

import java.time.Duration;
import java.util.List;

/**
 * Discovery settings from the home configuration (docs/configuration.md): DNS servers and time-out,
 * DNSSEC trust anchors ("root", "none" or a file) and whether secure answers are required, the
 * optional SMIMEA and LDAP sources, and whether address-book certificates are pinned.
 */
public record DiscoveryConfig(List<String> dnsServers, Duration dnsTimeout, String dnssecAnchors,
    boolean requireDnssec, boolean smimea, boolean ldap, Duration ldapTimeout, boolean pinning) {
  public DiscoveryConfig {
    dnsServers = List.copyOf(dnsServers);
  }

  /** These settings with other DNS servers and DNSSEC settings (command-line options, tests). */
  public DiscoveryConfig withDns(List<String> servers, String anchors, boolean require) {
    return new DiscoveryConfig(servers, dnsTimeout, anchors, require, smimea, ldap, ldapTimeout, pinning);
  }

  public static DiscoveryConfig defaults() {
    return new DiscoveryConfig(List.of(), Duration.ofSeconds(3), "root", false, false, true, Duration.ofSeconds(5),
        true);
  }
}
