package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one resolver found for one address, and every attempt it made on the way, so that a
 * failure explains itself. A resolution may also refuse: a bogus DNSSEC answer means someone may
 * be spoofing the recipient's zone, and discovery must stop rather than ask elsewhere (risk 2).
 */
public record Resolution(DirectAddress address, List<FoundCertificate> certificates, List<Attempt> attempts,
    Optional<String> refusal) {
  public Resolution {
    certificates = List.copyOf(certificates);
    attempts = List.copyOf(attempts);
  }

  public Resolution(DirectAddress address, List<FoundCertificate> certificates, List<Attempt> attempts) {
    this(address, certificates, attempts, Optional.empty());
  }

  public static Resolution none(DirectAddress address, Attempt attempt) {
    return new Resolution(address, List.of(), List.of(attempt));
  }

  public static Resolution none(DirectAddress address, List<Attempt> attempts) {
    return new Resolution(address, List.of(), attempts);
  }

  public static Resolution refused(DirectAddress address, List<Attempt> attempts, String reason) {
    return new Resolution(address, List.of(), attempts, Optional.of(reason));
  }

  public boolean found() {
    return !certificates.isEmpty();
  }

  /** This resolution with earlier attempts put first. */
  public Resolution after(List<Attempt> earlier) {
    List<Attempt> all = new ArrayList<>(earlier);
    all.addAll(attempts);
    return new Resolution(address, certificates, all, refusal);
  }
}
