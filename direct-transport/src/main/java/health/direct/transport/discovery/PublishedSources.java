package health.direct.transport.discovery;

import health.direct.core.resolve.CertificateResolver;
import health.direct.core.store.DiscoveryConfig;
import health.direct.core.trust.RemoteFetcher;
import health.direct.transport.dns.DnsCertResolver;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.dns.DnsSettings;
import health.direct.transport.dns.SmimeaResolver;
import health.direct.transport.ldap.LdapCertResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The places a recipient publishes certificates, in the order CD-07 asks for them: DNS CERT
 * (address, then domain), SMIMEA when switched on, then LDAP (address, then domain).
 *
 * <pre>{@code
 * DnsClient dns = PublishedSources.dnsClient(config, clock);
 * List<CertificateResolver> sources = PublishedSources.of(dns, HttpFetcher.withDefaults(), config);
 * }</pre>
 */
public final class PublishedSources {
  private PublishedSources() {}

  public static DnsClient dnsClient(DiscoveryConfig config, Clock clock) {
    return new DnsClient(DnsSettings.of(config.dnsServers(), config.dnsTimeout(), config.dnssecAnchors(),
        config.requireDnssec()), clock);
  }

  public static List<CertificateResolver> of(DnsClient dns, RemoteFetcher fetcher, DiscoveryConfig config) {
    List<CertificateResolver> sources = new ArrayList<>();
    sources.add(new DnsCertResolver(dns, fetcher, config.requireDnssec()));
    if (config.smimea()) {
      sources.add(new SmimeaResolver(dns));
    }
    if (config.ldap()) {
      sources.add(new LdapCertResolver(dns, config.ldapTimeout()));
    }
    return sources;
  }
}
