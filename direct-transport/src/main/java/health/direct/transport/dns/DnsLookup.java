package health.direct.transport.dns;

/**
 * Asks one DNS question. {@link DnsClient} asks real servers; the seam lets the discovery sources
 * be driven by answers built in a test (the fuzz targets hand them malformed records).
 *
 * <pre>{@code
 * DnsLookup dns = new DnsClient(settings, Clock.systemUTC());
 * DnsAnswer cert = dns.query("bob.clinic.example", Type.CERT);
 * }</pre>
 */
@FunctionalInterface
public interface DnsLookup {

  /** Asks for {@code type} records at {@code name}; a failure is an answer saying so, never an exception. */
  DnsAnswer query(String name, int type);
}
