package health.direct.core.outgoing;

import health.direct.core.address.DirectAddress;
import health.direct.core.resolve.RecipientCertificates;
import java.util.List;

/**
 * What sealing did: who can read the message (the SMTP envelope recipients), who was dropped and
 * why (CD-12, AS-15), and how it was encrypted.
 */
public record SealResult(DirectAddress sender, String messageId, List<RecipientCertificates.Accepted> recipients,
    List<RecipientCertificates.Rejected> dropped, String encryption, String keyTransport, boolean senderCopyReadable) {
  public SealResult {
    recipients = List.copyOf(recipients);
    dropped = List.copyOf(dropped);
  }
}
