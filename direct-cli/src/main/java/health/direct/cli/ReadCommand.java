package health.direct.cli;

import health.direct.app.mail.MailFolders;
import health.direct.core.mime.MessageContents;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct read [FOLDER] N}: one stored message, its text and attachments. */
@Command(name = "read", mixinStandardHelpOptions = true,
    description = "Show a stored message (any folder): headers, the security verdict, the text, and the attachments "
        + "(name, type, size); --save-attachments writes them to a folder (owner-only files).")
final class ReadCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  MessageRef message;

  @Option(names = "--save-attachments", paramLabel = "DIR", description = "Write the attachments here.")
  Path saveTo;

  @Option(names = "--raw", description = "Print the stored message file as it is.")
  boolean raw;

  @Option(names = "--json", description = "Print one JSON object: folder, number, verdict, headers, text, attachments.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    FolderRef ref = message.ref();
    CliContext ctx = root.context();
    try (Mailbox box = ctx.mailbox()) {
      MailFolders folders = new MailFolders(box);
      StoredMessage m = folders.find(ref.folder(), ref.number());
      PrintWriter out = spec.commandLine().getOut();
      if (raw) {
        try (InputStream in = Files.newInputStream(m.file())) {
          out.print(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        out.flush();
        return 0;
      }
      try (MessageContents c = folders.contents(m, ctx.config().mimeLimits())) {
        if (json) {
          out.println(toJson(m, c));
        } else {
          show(m, c, out);
        }
        if (saveTo != null) {
          save(c, out);
        }
      }
      out.flush();
      return 0;
    }
  }

  private void show(StoredMessage m, MessageContents c, PrintWriter out) {
    out.printf("folder   %s %d%nverdict  %s%s%n", m.folder().dirName(), m.number(), m.summary().verdict(),
        m.summary().detail() == null || m.summary().detail().isEmpty() ? "" : " (" + Printing.safe(m.summary().detail()) + ")");
    java.time.ZoneId zone = Times.zone(root.env);
    MessageContents.Headers h = c.headers();
    line(out, "from", h.from());
    line(out, "to", h.to());
    line(out, "cc", h.cc());
    if (m.summary().date().isPresent()) {
      out.printf("%-8s %s%n", "date", Times.local(m.summary().date().get(), zone));
    } else {
      line(out, "date", h.date());
    }
    line(out, "subject", h.subject());
    line(out, "message-id", h.messageId());
    out.println();
    for (MessageContents.Block b : c.blocks()) {
      if (b instanceof MessageContents.Text t) {
        out.println(Printing.safeText(t.text()));
      } else if (b instanceof MessageContents.ForwardedStart f) {
        out.println("---------- forwarded message ----------");
        line(out, "from", f.headers().from());
        line(out, "to", f.headers().to());
        line(out, "cc", f.headers().cc());
        line(out, "date", f.headers().date());
        line(out, "subject", f.headers().subject());
        line(out, "message-id", f.headers().messageId());
        out.println();
      } else if (b instanceof MessageContents.ForwardedEnd) {
        out.println("---------- end of forwarded message ----------");
      } else if (b instanceof MessageContents.Attachment a) {
        out.printf("[attachment %d] %s (%s, %d bytes)%n", a.number(), Printing.safe(a.name()), Printing.safe(a.type()),
            a.size());
      }
    }
  }

  private static void line(PrintWriter out, String label, java.util.Optional<String> value) {
    value.ifPresent(v -> out.printf("%-8s %s%n", label, Printing.safe(v)));
  }

  /** Writes every attachment into {@code saveTo} under its safe file name, owner-only. */
  private void save(MessageContents c, PrintWriter out) throws IOException {
    SecureFiles.privateDirectory(saveTo);
    java.util.Set<String> used = new java.util.HashSet<>();
    for (MessageContents.Attachment a : c.attachments()) {
      // two attachments of one name: the second gets its number in front, so neither is lost
      String name = used.add(a.fileName()) ? a.fileName() : a.number() + "-" + a.fileName();
      used.add(name);
      Path target = saveTo.resolve(name);
      try (InputStream in = c.attachment(a.number())) {
        SecureFiles.writeAtomically(target, o -> in.transferTo(o));
      }
      if (!json) {
        out.printf("  saved attachment %d to %s%n", a.number(), Printing.safe(target.toString()));
      }
    }
  }

  private String toJson(StoredMessage m, MessageContents c) {
    var n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    n.put("folder", m.folder().dirName()).put("number", m.number()).put("verdict", m.summary().verdict())
        .put("detail", m.summary().detail());
    var headers = n.putObject("headers");
    MessageContents.Headers h = c.headers();
    headers.put("from", h.from().orElse(null)).put("to", h.to().orElse(null)).put("cc", h.cc().orElse(null))
        .put("date", h.date().orElse(null)).put("subject", h.subject().orElse(null))
        .put("messageID", h.messageId().orElse(null)).put("inReplyTo", h.inReplyTo().orElse(null));
    m.summary().date().ifPresent(d -> n.put("date", Times.json(d)));
    StringBuilder text = new StringBuilder();
    var attachments = n.putArray("attachments");
    for (MessageContents.Block b : c.blocks()) {
      if (b instanceof MessageContents.Text t) {
        text.append(t.text()).append(System.lineSeparator());
      } else if (b instanceof MessageContents.ForwardedStart f) {
        text.append("---------- forwarded message ----------").append(System.lineSeparator());
      } else if (b instanceof MessageContents.ForwardedEnd) {
        text.append("---------- end of forwarded message ----------").append(System.lineSeparator());
      } else if (b instanceof MessageContents.Attachment a) {
        attachments.addObject().put("number", a.number()).put("name", a.name()).put("type", a.type())
            .put("size", a.size());
      }
    }
    n.put("text", text.toString());
    return n.toString();
  }
}
