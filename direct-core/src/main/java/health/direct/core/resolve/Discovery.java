package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import java.util.List;

/**
 * The full story of finding certificates for one recipient: every question asked, every
 * certificate found with the reason it was kept or rejected, and the outcome (encrypt to these, or
 * drop the recipient with a reason).
 */
public record Discovery(DirectAddress address, List<Attempt> attempts, List<CandidateVerdict> candidates,
    RecipientCertificates outcome) {
  public Discovery {
    attempts = List.copyOf(attempts);
    candidates = List.copyOf(candidates);
  }

  public boolean accepted() {
    return outcome instanceof RecipientCertificates.Accepted;
  }
}
