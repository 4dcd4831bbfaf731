package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds candidate certificates for a recipient. Implementations: the address book, DNS CERT,
 * LDAP. Candidates are not yet trusted: the caller validates each one (CD-08).
 *
 * <pre>{@code
 * CertificateResolver chain = CertificateResolver.firstFound(List.of(addressBook, dns, ldap));
 * Resolution r = chain.resolve(DirectAddress.parse("bob@clinic.example"));
 * }</pre>
 */
@FunctionalInterface
public interface CertificateResolver {

  Resolution resolve(DirectAddress address);

  /** Asks each resolver in turn and returns the first that finds anything, with all attempts. */
  static CertificateResolver firstFound(List<CertificateResolver> resolvers) {
    List<CertificateResolver> copy = List.copyOf(resolvers);
    return address -> {
      List<String> attempts = new ArrayList<>();
      for (CertificateResolver r : copy) {
        Resolution res = r.resolve(address);
        if (res.found()) {
          return res.after(attempts);
        }
        attempts.addAll(res.attempts());
      }
      return new Resolution(address, List.of(), attempts);
    };
  }
}
