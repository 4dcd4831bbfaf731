package health.direct.cli;

import health.direct.app.contacts.Contacts;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.resolve.RecipientCertificates;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct contacts send-test ADDR}: a secured message with no patient data, to try the path. */
@Command(name = "send-test", mixinStandardHelpOptions = true,
    description = "Send ADDR a signed and encrypted test message that carries no patient data, to prove the whole "
        + "path (discovery, trust, delivery) before real use.")
final class ContactsSendTestCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  ContactsCommand parent;
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ADDR")
  String address;

  @Option(names = "--from", paramLabel = "LOCAL", description = "Sender (default: account.address).")
  String from;

  @Override
  public Integer call() {
    CliContext ctx = parent.root.context();
    DirectAddress to = DirectAddress.parse(address);
    DirectAddress sender = from != null ? DirectAddress.parse(from) : ctx.mail().address().map(DirectAddress::parse)
        .orElseThrow(() -> new health.direct.core.DirectException(Problem.USAGE,
            "say who sends: --from ADDR (or set account.address)"));
    try (Mailbox mailbox = ctx.mailbox()) {
      MessageSender.Queued q = new Contacts(ctx.session()).sendTest(sender, to, mailbox);
      for (RecipientCertificates.Rejected r : q.dropped()) {
        spec.commandLine().getErr().println("direct: not sent to " + r.address() + ": " + r.reason());
      }
      MailRounds.deliver(ctx, mailbox, spec.commandLine().getErr());
      OutboxEntry e = ctx.outbox().find(q.entry().id()).orElseThrow();
      PrintWriter out = spec.commandLine().getOut();
      OutboxEntry.RecipientState s = e.recipients().get(0);
      out.printf("test message %s to %s: %s %s%n", e.messageId(), s.address(), s.state().label(), s.lastResult());
      return s.state() == OutboxEntry.State.FAILED ? Problem.DELIVERY_FAILED.exitCode() : 0;
    }
  }
}
