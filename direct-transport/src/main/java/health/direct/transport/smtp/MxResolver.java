package health.direct.transport.smtp;

import health.direct.core.resolve.DnssecStatus;
import health.direct.transport.dns.DnsAnswer;
import health.direct.transport.dns.DnsClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * MX lookup for delivery (arc 3; RFC 5321 section 5.1): hosts by preference, shuffled among equal
 * preferences; no MX record means the domain itself (its A/AAAA record); a single MX of "." is a
 * null MX (RFC 7505): the domain accepts no mail. A bogus DNSSEC answer is not used (risk 2).
 *
 * <pre>{@code
 * MxPlan plan = new MxResolver(dns, new Random()).resolve("clinic.example");
 * }</pre>
 */
public final class MxResolver {
  private final DnsClient dns;
  private final Random random;

  public MxResolver(DnsClient dns, Random random) {
    this.dns = dns;
    this.random = random;
  }

  public MxPlan resolve(String domain) {
    DnsAnswer mx = dns.query(domain, Type.MX);
    if (mx.dnssec() == DnssecStatus.BOGUS) {
      return new MxPlan.Unknown(domain, "the MX answer for " + domain + " failed DNSSEC validation (" + mx.detail()
          + "): it may be spoofed");
    }
    switch (mx.outcome()) {
      case FAILED:
        return new MxPlan.Unknown(domain, "MX lookup for " + domain + " " + mx.summary());
      case NXDOMAIN:
        return new MxPlan.NoMail(domain, "the domain " + domain + " does not exist (NXDOMAIN)");
      case NODATA:
        return implicit(domain);
      default:
        break;
    }
    List<MXRecord> records = new ArrayList<>();
    for (Record r : mx.records()) {
      records.add((MXRecord) r);
    }
    if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
      return new MxPlan.NoMail(domain, domain + " publishes a null MX (RFC 7505): it accepts no mail");
    }
    Map<Integer, List<String>> byPreference = new TreeMap<>();
    for (MXRecord r : records) {
      if (!r.getTarget().equals(Name.root)) {
        byPreference.computeIfAbsent(r.getPriority(), k -> new ArrayList<>()).add(r.getTarget().toString(true));
      }
    }
    List<String> hosts = new ArrayList<>();
    for (List<String> same : byPreference.values()) {
      Collections.shuffle(same, random);
      hosts.addAll(same);
    }
    return new MxPlan.Hosts(domain, hosts, false, mx.dnssec());
  }

  private MxPlan implicit(String domain) {
    DnsAnswer a = dns.query(domain, Type.A);
    DnsAnswer aaaa = a.records().isEmpty() ? dns.query(domain, Type.AAAA) : a;
    if (a.failed() && aaaa.failed()) {
      return new MxPlan.Unknown(domain, "no MX for " + domain + " and its address lookup " + a.summary());
    }
    if (a.records().isEmpty() && aaaa.records().isEmpty()) {
      return new MxPlan.NoMail(domain, domain + " has neither an MX nor an address record");
    }
    return new MxPlan.Hosts(domain, List.of(domain), true, a.dnssec());
  }
}
