package health.direct.core.compose;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the user wants to send: sender, recipients, subject, a text body and files to attach; for
 * a reply the message it answers ({@code inReplyTo}, {@code references}, RFC 5322 section 3.6.4),
 * for a forward the stored message it passes on whole (attached as message/rfc822).
 *
 * <pre>{@code
 * Draft d = new Draft(alice, List.of(bob), List.of(), "Referral", "Please see ...", List.of(Path.of("ccd.xml")));
 * }</pre>
 */
public record Draft(DirectAddress from, List<DirectAddress> to, List<DirectAddress> cc, String subject, String body,
    List<Path> attachments, Optional<String> inReplyTo, List<String> references, Optional<Path> forwarded) {
  /** A new message, neither a reply nor a forward. */
  public Draft(DirectAddress from, List<DirectAddress> to, List<DirectAddress> cc, String subject, String body,
      List<Path> attachments) {
    this(from, to, cc, subject, body, attachments, Optional.empty(), List.of(), Optional.empty());
  }

  public Draft {
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    attachments = List.copyOf(attachments);
    references = List.copyOf(references);
    if (to.isEmpty() && cc.isEmpty()) {
      throw new DirectException(Problem.USAGE, "a message needs at least one recipient (To, or --to on the command line)");
    }
    if (subject == null || body == null) {
      throw new DirectException(Problem.USAGE, "a message needs a subject and a body");
    }
  }
}
