package health.direct.core.outgoing;

import health.direct.core.address.DirectAddress;
import health.direct.core.resolve.RecipientCertificates;
import java.util.List;

/**
 * What sealing did: who can read the message (the SMTP envelope recipients), who was dropped and
 * why (CD-12, AS-15), and how it was encrypted; with the plain message's headers as the index
 * keeps them and the notifications to wait for, read while sealing so nothing reads them again.
 */
public record SealResult(DirectAddress sender, String messageId, List<RecipientCertificates.Accepted> recipients,
    List<RecipientCertificates.Rejected> dropped, String encryption, String keyTransport, boolean senderCopyReadable,
    health.direct.core.mailbox.MessageSummary headers, health.direct.core.outbox.OutboxEntry.Expectation expectation) {
  public SealResult {
    recipients = List.copyOf(recipients);
    dropped = List.copyOf(dropped);
  }
}
