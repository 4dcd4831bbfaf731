package health.direct.core.compose;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * What the user wants to send: sender, recipients, subject, a text body and files to attach.
 *
 * <pre>{@code
 * Draft d = new Draft(alice, List.of(bob), List.of(), "Referral", "Please see ...", List.of(Path.of("ccd.xml")));
 * }</pre>
 */
public record Draft(DirectAddress from, List<DirectAddress> to, List<DirectAddress> cc, String subject, String body,
    List<Path> attachments) {
  public Draft {
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    attachments = List.copyOf(attachments);
    if (to.isEmpty() && cc.isEmpty()) {
      throw new DirectException(Problem.USAGE, "a message needs at least one recipient (--to)");
    }
    if (subject == null || body == null) {
      throw new DirectException(Problem.USAGE, "a message needs a subject and a body");
    }
  }
}
