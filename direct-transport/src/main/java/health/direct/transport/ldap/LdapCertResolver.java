package health.direct.transport.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import health.direct.core.DirectException;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateReader;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.CertificateResolver;
import health.direct.core.resolve.DnssecStatus;
import health.direct.core.resolve.FoundCertificate;
import health.direct.core.resolve.Resolution;
import health.direct.transport.dns.DnsAnswer;
import health.direct.transport.dns.DnsClient;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * LDAP discovery (CD-05, CD-06): the directory servers named by SRV {@code _ldap._tcp.<domain>},
 * tried in priority order (ascending) then weight (descending), skipping any that cannot be
 * reached within the time-out; an anonymous bind; the base DNs from the root DSE's
 * namingContexts; {@code (mail=<address>)} first, {@code (mail=<domain>)} only when no entry for
 * the address holds a certificate; certificates from userSMIMECertificate, userCertificate;binary
 * and userCertificate.
 *
 * <pre>{@code
 * Resolution r = new LdapCertResolver(dns, Duration.ofSeconds(5)).resolve(DirectAddress.parse("bob@clinic.example"));
 * }</pre>
 */
public final class LdapCertResolver implements CertificateResolver {
  private static final String[] ATTRIBUTES = {"userSMIMECertificate", "userCertificate;binary", "userCertificate"};

  private final DnsClient dns;
  private final Duration timeout;

  public LdapCertResolver(DnsClient dns, Duration timeout) {
    this.dns = dns;
    this.timeout = timeout;
  }

  private record Server(String host, String address, int port, int priority, int weight) {
    String label() {
      return host + ":" + port;
    }
  }

  @Override
  public Resolution resolve(DirectAddress address) {
    List<Attempt> attempts = new ArrayList<>();
    DnsAnswer srv = dns.query("_ldap._tcp." + address.domain(), Type.SRV);
    attempts.add(new Attempt("DNS", srv.question(), srv.summary(), srv.dnssec()));
    if (srv.dnssec() == DnssecStatus.BOGUS) {
      return Resolution.refused(address, attempts, "the DNS answer for " + srv.question()
          + " failed DNSSEC validation: it may be spoofed, so no LDAP server is asked for " + address);
    }
    List<Server> servers = servers(srv, attempts);
    for (Server s : servers) {
      Optional<Resolution> r = ask(s, address, attempts);
      if (r.isPresent()) {
        return r.get();
      }
    }
    if (!servers.isEmpty()) {
      attempts.add(Attempt.of("LDAP", "_ldap._tcp." + address.domain(), "no LDAP server could be reached"));
    }
    return Resolution.none(address, attempts);
  }

  private List<Server> servers(DnsAnswer srv, List<Attempt> attempts) {
    List<SRVRecord> records = new ArrayList<>();
    for (Record r : srv.records()) {
      SRVRecord s = (SRVRecord) r;
      if (s.getTarget().equals(org.xbill.DNS.Name.root)) {
        continue; // RFC 2782: "." means the service is decidedly not available
      }
      records.add(s);
    }
    records.sort(Comparator.comparingInt(SRVRecord::getPriority)
        .thenComparing(Comparator.comparingInt(SRVRecord::getWeight).reversed()));
    List<Server> out = new ArrayList<>();
    for (SRVRecord s : records) {
      String host = s.getTarget().toString(true);
      DnsAnswer a = dns.query(s.getTarget(), Type.A);
      if (a.records().isEmpty()) {
        attempts.add(new Attempt("DNS", a.question(), a.summary() + ", LDAP server " + host + " skipped", a.dnssec()));
        continue;
      }
      String ip = ((ARecord) a.records().get(0)).getAddress().getHostAddress();
      out.add(new Server(host, ip, s.getPort(), s.getPriority(), s.getWeight()));
    }
    return out;
  }

  /** Empty when the server cannot be reached, so the next one is tried. */
  private Optional<Resolution> ask(Server s, DirectAddress address, List<Attempt> attempts) {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis((int) timeout.toMillis());
    options.setResponseTimeoutMillis(timeout.toMillis());
    options.setAbandonOnTimeout(true);
    try (LDAPConnection c = new LDAPConnection(options, s.address(), s.port())) {
      RootDSE root = c.getRootDSE();
      String[] bases = root == null ? null : root.getNamingContextDNs();
      if (bases == null || bases.length == 0) {
        attempts.add(Attempt.of("LDAP", s.label() + " root DSE", "no namingContexts, nothing to search"));
        return Optional.of(Resolution.none(address, attempts));
      }
      for (String query : List.of(address.toString(), address.domain())) {
        List<FoundCertificate> found = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int entries = 0;
        for (String base : bases) {
          SearchResult result = c.search(base, SearchScope.SUB, Filter.createEqualityFilter("mail", query), ATTRIBUTES);
          for (SearchResultEntry e : result.getSearchEntries()) {
            entries++;
            certificates(e, notes).forEach(cert -> found.add(new FoundCertificate(cert,
                "LDAP " + s.label() + " " + e.getDN(), CertificateBinding.of(cert, address))));
          }
        }
        attempts.add(Attempt.of("LDAP", s.label() + " (mail=" + query + ") under " + String.join(", ", bases),
            entries + " entr" + (entries == 1 ? "y" : "ies") + ", " + found.size() + " certificate(s)"
                + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")")));
        if (!found.isEmpty()) {
          return Optional.of(new Resolution(address, found, attempts));
        }
      }
      return Optional.of(Resolution.none(address, attempts));
    } catch (LDAPException e) {
      attempts.add(Attempt.of("LDAP", s.label() + " (SRV priority " + s.priority() + ", weight " + s.weight() + ")",
          "unreachable or failed: " + e.getResultCode() + " " + Optional.ofNullable(e.getDiagnosticMessage())
              .orElse(e.getExceptionMessage())));
      return Optional.empty();
    }
  }

  private static List<X509Certificate> certificates(SearchResultEntry e, List<String> notes) {
    List<X509Certificate> out = new ArrayList<>();
    for (com.unboundid.ldap.sdk.Attribute a : e.getAttributes()) {
      String base = a.getBaseName().toLowerCase(Locale.ROOT);
      if (!base.equals("usersmimecertificate") && !base.equals("usercertificate")) {
        continue;
      }
      for (byte[] value : a.getValueByteArrays()) {
        try {
          out.addAll(CertificateReader.read(value, a.getName() + " of " + e.getDN()));
        } catch (DirectException bad) {
          notes.add(bad.getMessage());
        }
      }
    }
    return out;
  }
}
