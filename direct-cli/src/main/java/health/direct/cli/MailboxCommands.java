package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.mailbox.Folder;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct inbox|quarantine|sent}: the local folders. */
final class MailboxCommands {
  private MailboxCommands() {}

  static void line(PrintWriter out, StoredMessage m) {
    out.printf("%5d  %-10s %-20s %-32s %s%n", m.id(), m.summary().verdict(),
        m.summary().date().map(d -> d.toString().substring(0, 16).replace('T', ' ')).orElse("(no date)"),
        trim(m.summary().from(), 32), trim(m.summary().subject(), 60));
    if (m.folder() == Folder.QUARANTINE) {
      out.printf("       why: %s%n", Printing.safe(m.summary().detail()));
    }
  }

  static void json(ObjectNode n, StoredMessage m) {
    n.put("id", m.id()).put("folder", m.folder().dirName()).put("messageId", m.summary().messageId())
        .put("from", m.summary().from()).put("to", m.summary().to()).put("subject", m.summary().subject())
        .put("date", m.summary().date().map(Object::toString).orElse(null)).put("verdict", m.summary().verdict())
        .put("detail", m.summary().detail()).put("storedAt", m.storedAt().toString()).put("size", m.size())
        .put("file", m.file().toString()).put("source", m.source());
  }

  private static String trim(String s, int n) {
    if (s == null) {
      return "";
    }
    String shown = Printing.safe(s);
    return shown.length() <= n ? shown : shown.substring(0, n - 1) + "…";
  }

  abstract static class Listing implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    DirectCommand root;
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    abstract Folder folder();

    /** Whether a message belongs in this listing; the sent folder leaves out what the client sent by itself. */
    boolean shown(StoredMessage m) {
      return true;
    }

    @Override
    public Integer call() {
      try (Mailbox box = root.context().mailbox()) {
        List<StoredMessage> all = box.list(folder()).stream().filter(this::shown).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          ArrayNode a = new ObjectMapper().createArrayNode();
          all.forEach(m -> json(a.addObject(), m));
          out.println(a);
        } else if (all.isEmpty()) {
          out.println("the " + folder().dirName() + " folder is empty");
        } else {
          all.forEach(m -> line(out, m));
        }
        if (!json && folder() == Folder.QUARANTINE && box.discardedCount() > 0) {
          out.println(box.discardedCount() + " unsecured message(s) discarded unread (unsecured.action = discard)");
        }
      }
      return 0;
    }
  }

  @Command(name = "inbox", mixinStandardHelpOptions = true,
      description = "Trusted messages (decrypted, signature and trust verified) and delivery notices.")
  static final class Inbox extends Listing {
    @Override
    Folder folder() {
      return Folder.INBOX;
    }
  }

  @Command(name = "quarantine", mixinStandardHelpOptions = true,
      description = "Messages that failed security or trust (unsecured, untrusted, undecryptable, malformed), "
          + "kept as they arrived, with the reason.")
  static final class Quarantine extends Listing {
    @Override
    Folder folder() {
      return Folder.QUARANTINE;
    }
  }

  @Command(name = "receipts", mixinStandardHelpOptions = true,
      description = "Delivery notifications that arrived (MDNs from recipients, DSNs from mail servers).")
  static final class Receipts extends Listing {
    @Override
    Folder folder() {
      return Folder.RECEIPTS;
    }
  }

  @Command(name = "sent", mixinStandardHelpOptions = true,
      description = "The plain copy of everything sent: the record of disclosures.")
  static final class Sent extends Listing {
    @Option(names = "--all", description = "Include the notifications the client sent by itself (they are in the audit).")
    boolean all;

    @Override
    Folder folder() {
      return Folder.SENT;
    }

    @Override
    boolean shown(StoredMessage m) {
      return all || !MessageSender.AUTOMATIC.equals(m.summary().verdict());
    }
  }
}
