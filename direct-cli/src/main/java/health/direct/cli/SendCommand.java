package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.outgoing.Submission;
import health.direct.core.compose.Draft;
import health.direct.core.compose.MessageComposer;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.resolve.RecipientCertificates;
import health.direct.core.store.IdentityInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    @Option(names = "--body-file", paramLabel = "FILE", description = "File holding the message text (UTF-8).")
    Path file;

    @Option(names = "--eml", paramLabel = "FILE", description = "Send this RFC 5322 message as it is.")
    Path eml;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Body body;

  @Option(names = "--attach", paramLabel = "FILE", description = "A file to attach (repeatable).")
  List<Path> attach = new ArrayList<>();

  @Option(names = "--queue-only", description = "Queue without delivering now (the agent delivers it).")
  boolean queueOnly;

  @Option(names = "--strict", description = "Exit 18 when some recipients were not sent the message (the others still get it).")
  boolean strict;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    CliContext ctx = root.context();
    Path plain = body.eml != null ? InputFiles.existing(body.eml) : compose(ctx);
    try (Mailbox mailbox = ctx.mailbox()) {
      PrintWriter err = spec.commandLine().getErr();
      Submission s = ctx.session().send(mailbox).submit(plain);
      s.unsecuredTo().forEach(a -> err.println("direct: sending to " + a + " WITHOUT S/MIME: it publishes no "
          + "certificate and the DLP check passed (unsecured.send-to-non-direct)"));
      for (RecipientCertificates.Rejected d : s.dropped()) {
        err.println("direct: not sent to " + d.address() + ": " + d.reason());
      }
      if (!queueOnly) {
        MailRounds.deliver(ctx, mailbox, err);
      }
      boolean failed = false;
      for (OutboxEntry queued : s.entries()) {
        OutboxEntry e = ctx.outbox().find(queued.id()).orElseThrow();
        print(e, s.dropped());
        failed |= e.recipients().stream().anyMatch(r -> r.state() == OutboxEntry.State.FAILED);
      }
      if (failed) {
        return Problem.DELIVERY_FAILED.exitCode();
      }
      return strict && !s.dropped().isEmpty() ? Problem.NOT_SENT_TO_ALL.exitCode() : 0;
    } finally {
      if (body.eml == null) {
        SecureFiles.deleteQuietly(plain);
      }
    }
  }

  private Path compose(CliContext ctx) throws IOException {
    if (subject == null) {
      throw new DirectException(Problem.USAGE, "--subject is required unless --eml is given");
    }
    String text = body.text != null ? body.text : new String(InputFiles.read(body.file), StandardCharsets.UTF_8);
    Draft d = new Draft(sender(ctx), addresses(to), addresses(cc), subject, text, attach);
    Path plain = SecureFiles.privateTempFile(ctx.home.work(), "compose");
    try (OutputStream out = Files.newOutputStream(plain)) {
      ctx.session().composer().compose(d, out);
    }
    return plain;
  }

  private DirectAddress sender(CliContext ctx) {
    if (from != null) {
      return DirectAddress.parse(from);
    }
    if (ctx.mail().address().isPresent()) {
      return DirectAddress.parse(ctx.mail().address().get());
    }
    List<IdentityInfo> ids = ctx.identities().list().stream().filter(i -> !i.pending() && i.owner().contains("@"))
        .toList();
    if (ids.size() == 1) {
      return DirectAddress.parse(ids.get(0).owner());
    }
    throw new DirectException(Problem.USAGE, "say who sends: --from ADDR (or set account.address)");
  }

  private static List<DirectAddress> addresses(List<String> raw) {
    return raw.stream().map(DirectAddress::parse).toList();
  }

  private void print(OutboxEntry e, List<RecipientCertificates.Rejected> dropped) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("outboxId", e.id());
      n.put("messageId", e.messageId());
      n.put("from", e.from().toString());
      ArrayNode rs = n.putArray("recipients");
      for (OutboxEntry.RecipientState r : e.recipients()) {
        rs.addObject().put("address", r.address().toString()).put("state", r.state().label())
            .put("attempts", r.attempts()).put("detail", r.lastResult());
      }
      n.put("secured", e.expectation() != OutboxEntry.Expectation.NONE);
      ArrayNode notSent = n.putArray("dropped");
      dropped.forEach(d -> notSent.addObject().put("address", d.address().toString()).put("reason", d.reason()));
      out.println(n);
      return;
    }
    out.printf("queued %s as %s%n", e.messageId(), e.id());
    for (OutboxEntry.RecipientState r : e.recipients()) {
      out.printf("  %-36s %-9s %s%n", r.address(), r.state().label(), r.lastResult());
    }
  }
}
