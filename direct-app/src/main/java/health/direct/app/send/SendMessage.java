package health.direct.app.send;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.dlp.PhiScanner;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.outgoing.NoSecuredRecipientException;
import health.direct.core.outgoing.Submission;
import health.direct.core.policy.UnsecuredMailPolicy;
import health.direct.core.resolve.RecipientCertificates;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sending one plain RFC 5322 message, the one way every front end sends (the command line's
 * {@code send}, the EHR's drop folder, the sandbox). Risk 1 ("the user may send PHI and forget to
 * use S/MIME") is decided here: a message goes only to recipients it can be sealed for, unless
 * {@code unsecured.send-to-non-direct} is set, and then only to addresses that publish no
 * certificate at all and only when the DLP check finds no PHI in the message. When nobody is
 * left, nothing is queued and the reason is thrown.
 *
 * <pre>{@code
 * Submission s = session.send(mailbox).submit(Path.of("referral.eml"));
 * s.dropped().forEach(d -> System.err.println("not sent to " + d.address() + ": " + d.reason()));
 * }</pre>
 */
public final class SendMessage {
  private final MessageSender sender;
  private final UnsecuredMailPolicy policy;
  private final Supplier<PhiScanner> dlp;

  private final health.direct.core.compose.MessageComposer composer;
  private final Path work;

  public SendMessage(MessageSender sender, UnsecuredMailPolicy policy, Supplier<PhiScanner> dlp,
      health.direct.core.compose.MessageComposer composer, Path work) {
    this.sender = sender;
    this.policy = policy;
    this.dlp = dlp;
    this.composer = composer;
    this.work = work;
  }

  /**
   * Composes {@code draft} into an owner-only scratch file under the home's work folder (removed
   * afterwards, whatever happens) and submits it as {@link #submit(Path)} does.
   */
  public Submission submit(health.direct.core.compose.Draft draft) {
    Path plain = health.direct.core.io.SecureFiles.privateTempFile(work, "compose");
    try {
      try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(plain)) {
        composer.compose(draft, out);
      } catch (java.io.IOException e) {
        throw new DirectException(Problem.IO, "cannot write the message to " + plain + ": " + e.getMessage(), e);
      }
      return submit(plain);
    } finally {
      health.direct.core.io.SecureFiles.deleteQuietly(plain);
    }
  }

  /**
   * Seals and queues {@code plain} for every recipient that can be secured and, where risk 1's
   * opt-in allows, queues it unsecured for the rest.
   *
   * @throws DirectException {@link Problem#NO_TRUSTED_RECIPIENT} when nobody could be sent it,
   *     {@link Problem#PHI_FOUND} when the only way left was unsecured and the DLP check refused it
   */
  public Submission submit(Path plain) {
    Optional<MessageSender.Queued> secured;
    List<RecipientCertificates.Rejected> dropped;
    try {
      secured = Optional.of(sender.queue(plain));
      dropped = secured.get().dropped();
    } catch (NoSecuredRecipientException none) {
      if (!policy.sendToNonDirect()) {
        throw none;
      }
      secured = Optional.empty();
      dropped = none.dropped();
    }
    Optional<MessageSender.Unsecured> unsecured = Optional.empty();
    if (policy.sendToNonDirect() && !dropped.isEmpty()) {
      unsecured = Optional.of(sender.queueUnsecured(plain, dropped, dlp.get()));
      dropped = unsecured.get().refused();
    }
    Optional<health.direct.core.outbox.OutboxEntry> plainEntry = unsecured.flatMap(MessageSender.Unsecured::entry);
    if (secured.isEmpty() && plainEntry.isEmpty()) {
      boolean phi = unsecured.isPresent() && !unsecured.get().dlp().passed();
      throw new DirectException(phi ? Problem.PHI_FOUND : Problem.NO_TRUSTED_RECIPIENT,
          "nothing was sent: " + String.join(" | ", dropped.stream().map(RecipientCertificates.Rejected::reason)
              .toList()));
    }
    String messageId = secured.map(q -> q.entry().messageId()).orElseGet(() -> plainEntry.get().messageId());
    return new Submission(messageId, secured.map(MessageSender.Queued::entry),
        secured.map(MessageSender.Queued::securedFor).orElse(List.of()),
        plainEntry, unsecured.map(MessageSender.Unsecured::sentTo).orElse(List.of()), dropped);
  }
}
