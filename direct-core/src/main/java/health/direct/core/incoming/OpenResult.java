package health.direct.core.incoming;

import health.direct.core.Problem;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code direct open} reports about one message. Fields that could not be determined
 * are empty; {@link #problem} is empty only for a trusted message.
 */
public record OpenResult(Verdict verdict, Optional<Problem> problem, String reason, Optional<Party> signer,
    Optional<Party> anchor, Optional<String> encryption, Optional<String> keyTransport, Optional<String> digest,
    boolean legacyDigest, boolean wrapped, Optional<String> from, List<String> notes) {

  public OpenResult {
    notes = List.copyOf(notes);
  }

  /** A certificate holder as shown to the user: address (if bound), subject and SHA-256 fingerprint. */
  public record Party(Optional<String> address, String subject, String fingerprint) {}

  public boolean trusted() {
    return verdict == Verdict.TRUSTED;
  }
}
