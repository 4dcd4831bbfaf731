package health.direct.cli;

import health.direct.app.admin.Identities;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.compose.Draft;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct send}: compose (or take) a message, seal it, queue it durably, deliver it. */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Compose a message (or take one with --eml), sign and encrypt it for each recipient, keep the "
        + "plain copy in the sent folder, queue it in the outbox on disk, then deliver it by SMTP to each "
        + "recipient's mail server.",
        "Temporary failures stay in the outbox for 'direct agent' or 'direct outbox --deliver' to retry. "
            + "Exit 0 when every secured recipient was delivered or is queued for retry, 11 when no recipient "
            + "can be secured, 15 when delivery failed for good for someone, 18 (with --strict) when someone "
            + "was not sent it."})
final class SendCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--from", paramLabel = "ADDR", description = "Sender (default: account.address, else the only identity).")
  String from;

  @Option(names = "--to", paramLabel = "ADDR", description = "Recipient (repeatable).")
  List<String> to = new ArrayList<>();

  @Option(names = "--cc", paramLabel = "ADDR", description = "Copy recipient (repeatable).")
  List<String> cc = new ArrayList<>();

  @Option(names = "--subject", paramLabel = "TEXT", description = "Subject (encrypted; the outside shows seal.outer-subject).")
  String subject;

  static final class Body {
    @Option(names = "--body", paramLabel = "TEXT", description = "The message text.")
    String text;

    @Option(names = "--body-file", paramLabel = "FILE",
        description = "File holding the message text (UTF-8); '-' reads standard input. With no text option, "
            + "$VISUAL or $EDITOR opens.")
    Path file;

    @Option(names = "--eml", paramLabel = "FILE", description = "Send this RFC 5322 message as it is.")
    Path eml;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Body body;

  @Option(names = "--attach", paramLabel = "FILE", description = "A file to attach (repeatable).")
  List<Path> attach = new ArrayList<>();

  @Option(names = "--queue-only", description = "Queue without delivering now (the agent delivers it).")
  boolean queueOnly;

  @Option(names = "--strict", description = "Exit 18 when some recipients were not sent the message (the others still get it).")
  boolean strict;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--quiet", description = "No progress while a message of 4 MB or more goes to the server.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    CliContext ctx = root.context();
    Submitting.Mode mode = new Submitting.Mode(queueOnly, strict, json, quiet);
    if (body != null && body.eml != null) {
      return Submitting.submit(ctx, InputFiles.existing(body.eml), mode, spec.commandLine());
    }
    return Submitting.submit(ctx, draft(ctx), mode, spec.commandLine());
  }

  private Draft draft(CliContext ctx) {
    if (subject == null) {
      throw new DirectException(Problem.USAGE, "--subject is required unless --eml is given");
    }
    String text = BodyInput.read(body == null ? null : body.text, body == null ? null : body.file, "",
        ctx.home.work(), root.env, root.stdin);
    return new Draft(sender(ctx, from), addresses(to), addresses(cc), subject, text, attach);
  }

  /** The sender: {@code --from}, else account.address, else the home's only identity. */
  static DirectAddress sender(CliContext ctx, String from) {
    if (from != null) {
      return DirectAddress.parse(from);
    }
    return new Identities(ctx.session()).defaultSender().orElseThrow(() -> new DirectException(Problem.USAGE,
        "say who sends: --from ADDR (or set account.address)"));
  }

  static List<DirectAddress> addresses(List<String> raw) {
    return raw.stream().map(DirectAddress::parse).toList();
  }
}
