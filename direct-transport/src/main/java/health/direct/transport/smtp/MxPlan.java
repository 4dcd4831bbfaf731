package health.direct.transport.smtp;

import health.direct.core.resolve.DnssecStatus;
import java.util.List;

/**
 * Where mail for a domain goes: the hosts to try in order, or why there are none. A null MX
 * (RFC 7505) is permanent; a DNS failure is temporary.
 */
public sealed interface MxPlan {
  String domain();

  /**
   * Hosts in the order to try them; {@code implicit} when there was no MX and the domain itself is
   * used; {@code dnssec} of the MX answer (DANE applies only to a secure one, RFC 7672).
   */
  record Hosts(String domain, List<String> hosts, boolean implicit, DnssecStatus dnssec) implements MxPlan {
    public Hosts {
      hosts = List.copyOf(hosts);
    }
  }

  /** The domain accepts no mail (a null MX, or no MX and no address). */
  record NoMail(String domain, String reason) implements MxPlan {}

  /** DNS could not tell; try again later. */
  record Unknown(String domain, String reason) implements MxPlan {}
}
