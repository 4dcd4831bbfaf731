package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What certificate discovery found for one address and every attempt it made on the way
 * ("address book: no entry"), so that a failure explains itself.
 */
public record Resolution(DirectAddress address, List<FoundCertificate> certificates, List<String> attempts) {
  public Resolution {
    certificates = List.copyOf(certificates);
    attempts = List.copyOf(attempts);
  }

  public static Resolution none(DirectAddress address, String attempt) {
    return new Resolution(address, List.of(), List.of(attempt));
  }

  public boolean found() {
    return !certificates.isEmpty();
  }

  /** This resolution with earlier attempts put first. */
  public Resolution after(List<String> earlier) {
    List<String> all = new ArrayList<>(earlier);
    all.addAll(attempts);
    return new Resolution(address, certificates, all);
  }
}
