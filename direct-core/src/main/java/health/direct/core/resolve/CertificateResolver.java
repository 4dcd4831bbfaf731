package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds candidate certificates for a recipient. Implementations: the address book, DNS CERT,
 * SMIMEA, LDAP. Candidates are not yet trusted: {@link CertificateDiscovery} validates each one
 * (CD-08).
 *
 * <pre>{@code
 * CertificateResolver network = CertificateResolver.firstFound(List.of(dnsCert, ldap));
 * Resolution r = network.resolve(DirectAddress.parse("bob@clinic.example"));
 * }</pre>
 */
@FunctionalInterface
public interface CertificateResolver {

  Resolution resolve(DirectAddress address);

  /**
   * Asks each resolver in turn and returns the first answer that finds anything or refuses, with
   * every attempt made before it (CD-07: the list gives the order).
   */
  static CertificateResolver firstFound(List<CertificateResolver> resolvers) {
    List<CertificateResolver> copy = List.copyOf(resolvers);
    return address -> {
      List<Attempt> attempts = new ArrayList<>();
      for (CertificateResolver r : copy) {
        Resolution res = r.resolve(address);
        if (res.found() || res.refusal().isPresent()) {
          return res.after(attempts);
        }
        attempts.addAll(res.attempts());
      }
      return Resolution.none(address, attempts);
    };
  }
}
