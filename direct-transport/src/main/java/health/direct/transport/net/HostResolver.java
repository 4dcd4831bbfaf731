package health.direct.transport.net;

import health.direct.transport.dns.DnsAnswer;
import health.direct.transport.dns.DnsClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Turns a host name into addresses through the configured DNS servers (so mail hosts resolve the
 * same way as MX and CERT records), then the system's resolver; an IP literal is used as is.
 *
 * <pre>{@code
 * List<InetAddress> ips = new HostResolver(dns).resolve("mail.clinic.example");
 * }</pre>
 */
public final class HostResolver {
  private final DnsClient dns;

  public HostResolver(DnsClient dns) {
    this.dns = dns;
  }

  public List<InetAddress> resolve(String host) throws UnknownHostException {
    if (host.matches("[0-9.]+") || host.contains(":")) {
      return List.of(InetAddress.getByName(host));
    }
    List<InetAddress> out = new ArrayList<>();
    for (int type : new int[] {Type.A, Type.AAAA}) {
      DnsAnswer a = dns.query(host, type);
      for (Record r : a.records()) {
        out.add(r instanceof ARecord ar ? ar.getAddress() : ((AAAARecord) r).getAddress());
      }
      if (!out.isEmpty()) {
        return out;
      }
    }
    try {
      return List.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      throw new UnknownHostException(host + ": no A or AAAA record (asked " + dns.serverList() + " and the system)");
    }
  }
}
