package health.direct.core.outgoing;

import health.direct.core.address.DirectAddress;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.resolve.RecipientCertificates;
import java.util.List;
import java.util.Optional;

/**
 * What became of one message handed in for sending: the outbox entries it was queued as (the
 * sealed one, and a plain one where the opt-in unsecured path of risk 1 was taken), who it was
 * secured for, who got it without S/MIME, and who was not sent it, with the reason.
 *
 * @param messageId the message's Message-ID
 * @param secured the sealed entry, when at least one recipient could be secured
 * @param unsecured the plain entry, when the unsecured path sent it to someone
 */
public record Submission(String messageId, Optional<OutboxEntry> secured, List<DirectAddress> securedFor,
    Optional<OutboxEntry> unsecured, List<DirectAddress> unsecuredTo, List<RecipientCertificates.Rejected> dropped) {
  public Submission {
    securedFor = List.copyOf(securedFor);
    unsecuredTo = List.copyOf(unsecuredTo);
    dropped = List.copyOf(dropped);
    if (secured.isEmpty() && unsecured.isEmpty()) {
      throw new IllegalArgumentException("a submission queued nothing");
    }
  }

  /** Every outbox entry the message became, the sealed one first. */
  public List<OutboxEntry> entries() {
    return java.util.stream.Stream.concat(secured.stream(), unsecured.stream()).toList();
  }
}
