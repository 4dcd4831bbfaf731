package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.mailbox.Folder;
import health.direct.app.mail.MailFolders;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct inbox|quarantine|sent|receipts|archive}: the local folders, numbered per folder. */
final class MailboxCommands {
  private MailboxCommands() {}

  /** One message per line: its number in its folder (with the folder's name when several are listed), in local time. */
  static void line(PrintWriter out, StoredMessage m, ZoneId zone, boolean withFolder) {
    String number = withFolder ? m.folder().dirName() + " " + m.number() : Long.toString(m.number());
    out.printf("%" + (withFolder ? 14 : 5) + "s  %-10s %-21s %-32s %s%n", number, m.summary().verdict(),
        m.summary().date().map(d -> Times.local(d, zone)).orElse("(no date)"),
        trim(m.summary().from(), 32), trim(m.summary().subject(), 60));
    if (m.folder() == Folder.QUARANTINE) {
      out.printf("       why: %s%n", Printing.safe(m.summary().detail()));
    }
  }

  static void json(ObjectNode n, StoredMessage m) {
    n.put("folder", m.folder().dirName()).put("number", m.number()).put("messageId", m.summary().messageId())
        .put("from", m.summary().from()).put("to", m.summary().to()).put("subject", m.summary().subject())
        .put("date", m.summary().date().map(Times::json).orElse(null)).put("verdict", m.summary().verdict())
        .put("detail", m.summary().detail()).put("storedAt", Times.json(m.storedAt())).put("size", m.size())
        .put("file", m.file().toString()).put("source", m.source()).put("id", m.id());
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

    /** Whether the client's own notifications are listed (the sent folder leaves them out unless asked). */
    boolean includeAutomatic() {
      return true;
    }

    @Override
    public Integer call() {
      try (Mailbox box = root.context().mailbox()) {
        List<StoredMessage> all = new MailFolders(box).list(folder(), includeAutomatic());
        ZoneId zone = Times.zone(root.env);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          ArrayNode a = new ObjectMapper().createArrayNode();
          all.forEach(m -> json(a.addObject(), m));
          out.println(a);
        } else if (all.isEmpty()) {
          out.println("the " + folder().dirName() + " folder is empty");
        } else {
          all.forEach(m -> line(out, m, zone, false));
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
    boolean includeAutomatic() {
      return all;
    }
  }

  @Command(name = "archive", mixinStandardHelpOptions = true,
      description = "Messages filed away with 'direct move N --to archive' (still trusted, still searchable).")
  static final class Archive extends Listing {
    @Override
    Folder folder() {
      return Folder.ARCHIVE;
    }
  }
}
