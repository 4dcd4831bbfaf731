package health.direct.transport.smtp;

import java.util.List;

/**
 * Where mail for a domain goes: the hosts to try in order, or why there are none. A null MX
 * (RFC 7505) is permanent; a DNS failure is temporary.
 */
public sealed interface MxPlan {
  String domain();

  /** Hosts in the order to try them; {@code implicit} when there was no MX and the domain itself is used. */
  record Hosts(String domain, List<String> hosts, boolean implicit) implements MxPlan {
    public Hosts {
      hosts = List.copyOf(hosts);
    }
  }

  /** The domain accepts no mail (a null MX, or no MX and no address). */
  record NoMail(String domain, String reason) implements MxPlan {}

  /** DNS could not tell; try again later. */
  record Unknown(String domain, String reason) implements MxPlan {}
}
