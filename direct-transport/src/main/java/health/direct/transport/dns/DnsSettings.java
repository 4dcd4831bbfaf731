package health.direct.transport.dns;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ResolverConfig;

/**
 * How to reach DNS: the servers in order, the time-out per server, and the DNSSEC trust anchors
 * (master-file DS or DNSKEY lines; the root's by default, none to switch validation off).
 *
 * <pre>{@code
 * DnsSettings s = DnsSettings.of(List.of("127.0.0.1:5353"), Duration.ofSeconds(2), "none", false);
 * }</pre>
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, Optional<String> trustAnchors,
    boolean requireSecure) {
  public DnsSettings {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new DirectException(Problem.CONFIG, "no DNS server configured (dns.servers) and none found in the system");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new DirectException(Problem.CONFIG, "the DNS time-out must be positive");
    }
    if (requireSecure && trustAnchors.isEmpty()) {
      throw new DirectException(Problem.CONFIG,
          "dns.dnssec.require = true needs DNSSEC trust anchors (dns.dnssec.trust-anchors)");
    }
  }

  /**
   * Builds settings from configuration values.
   *
   * @param servers "host" or "host:port" entries; empty means the system's resolvers
   * @param anchors "root" (the bundled IANA root anchors), "none", or a file of DS/DNSKEY lines
   */
  public static DnsSettings of(List<String> servers, Duration timeout, String anchors, boolean requireSecure) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String s : servers) {
      addresses.add(parseServer(s));
    }
    if (addresses.isEmpty()) {
      addresses.addAll(ResolverConfig.getCurrentConfig().servers());
    }
    return new DnsSettings(addresses, timeout, anchorText(anchors), requireSecure);
  }

  private static Optional<String> anchorText(String anchors) {
    if (anchors.equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    if (anchors.equalsIgnoreCase("root")) {
      try (InputStream in = DnsSettings.class.getResourceAsStream("root-anchors.txt")) {
        return Optional.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
      } catch (IOException | NullPointerException e) {
        throw new DirectException(Problem.INTERNAL, "the bundled DNSSEC root anchors are missing", e);
      }
    }
    Path file = Path.of(anchors);
    try {
      return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new DirectException(Problem.CONFIG, "cannot read DNSSEC trust anchors from " + file + ": "
          + e.getMessage(), e);
    }
  }

  static InetSocketAddress parseServer(String s) {
    String host = s.trim();
    int port = 53;
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(':') == colon) {
      try {
        port = Integer.parseInt(host.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new DirectException(Problem.CONFIG, "bad DNS server '" + s + "': the port is not a number");
      }
      host = host.substring(0, colon);
    } else if (host.startsWith("[") && host.contains("]:")) {
      port = Integer.parseInt(host.substring(host.indexOf("]:") + 2));
      host = host.substring(1, host.indexOf("]:"));
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new DirectException(Problem.CONFIG, "bad DNS server '" + s + "': use host or host:port");
    }
    // only literal addresses: resolving a DNS server's name would need DNS
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new DirectException(Problem.CONFIG, "bad DNS server '" + s + "': give an IP address, not a name");
    }
    try {
      return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
    } catch (java.net.UnknownHostException e) {
      throw new DirectException(Problem.CONFIG, "bad DNS server '" + s + "': " + e.getMessage(), e);
    }
  }
}
