package health.direct.cli;

import health.direct.app.mail.MailFolders;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
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

  /** In JSON mode, the attachments found while walking the message. */
  private com.fasterxml.jackson.databind.node.ArrayNode attachments;

  @Override
  public Integer call() throws IOException, MessagingException {
    FolderRef ref = message.ref();
    try (Mailbox box = root.context().mailbox()) {
      StoredMessage m = new MailFolders(box).find(ref.folder(), ref.number());
      PrintWriter out = spec.commandLine().getOut();
      if (raw) {
        out.print(Files.readString(m.file(), java.nio.charset.StandardCharsets.ISO_8859_1));
        out.flush();
        return 0;
      }
      MimeMessage msg;
      if (json) {
        try (InputStream in = Files.newInputStream(m.file())) {
          msg = new MimeMessage(Session.getInstance(new Properties()), in);
          out.println(toJson(m, msg));
        }
        out.flush();
        return 0;
      }
      try (InputStream in = Files.newInputStream(m.file())) {
        msg = new MimeMessage(Session.getInstance(new Properties()), in);
        out.printf("folder   %s %d%nverdict  %s%s%n", m.folder().dirName(), m.number(), m.summary().verdict(),
            m.summary().detail() == null || m.summary().detail().isEmpty() ? "" : " (" + m.summary().detail() + ")");
        java.time.ZoneId zone = Times.zone(root.env);
        for (String h : new String[] {"From", "To", "Cc", "Date", "Subject", "Message-ID"}) {
          String v = msg.getHeader(h, ", ");
          if (v == null) {
            continue;
          }
          String shown = h.equals("Date") && m.summary().date().isPresent()
              ? Times.local(m.summary().date().get(), zone) : Printing.safe(MimeUtility.decodeText(v));
          out.printf("%-8s %s%n", h.toLowerCase(java.util.Locale.ROOT), shown);
        }
        out.println();
        walk(msg, out, new int[] {0});
      }
      out.flush();
      return 0;
    }
  }

  private String toJson(StoredMessage m, MimeMessage msg) throws MessagingException, IOException {
    var n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    n.put("folder", m.folder().dirName()).put("number", m.number()).put("verdict", m.summary().verdict())
        .put("detail", m.summary().detail());
    var headers = n.putObject("headers");
    for (String h : new String[] {"From", "To", "Cc", "Date", "Subject", "Message-ID", "In-Reply-To"}) {
      String v = msg.getHeader(h, ", ");
      headers.put(Character.toLowerCase(h.charAt(0)) + h.substring(1).replace("-", ""),
          v == null ? null : MimeUtility.decodeText(v));
    }
    m.summary().date().ifPresent(d -> n.put("date", Times.json(d)));
    attachments = n.putArray("attachments");
    java.io.StringWriter text = new java.io.StringWriter();
    try (PrintWriter w = new PrintWriter(text)) {
      walk(msg, w, new int[] {0});
    }
    n.put("text", text.toString());
    return n.toString();
  }

  /** Multiparts nested deeper than this are not a message anyone writes; the raw view still shows it. */
  private static final int MAX_NESTING = 50;

  private void walk(Part p, PrintWriter out, int[] counter) throws MessagingException, IOException {
    walk(p, out, counter, 0);
  }

  private void walk(Part p, PrintWriter out, int[] counter, int depth) throws MessagingException, IOException {
    if (depth > MAX_NESTING) {
      throw new health.direct.core.DirectException(health.direct.core.Problem.MALFORMED_INPUT, "the message nests "
          + "its parts more than " + MAX_NESTING + " levels deep; 'direct read ... --raw' shows it as it is");
    }
    if (p.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        walk(mp.getBodyPart(i), out, counter, depth + 1);
      }
      return;
    }
    if (p.isMimeType("message/rfc822") && p.getContent() instanceof MimeMessage inner) {
      out.println("---------- forwarded message ----------");
      for (String h : new String[] {"From", "To", "Cc", "Date", "Subject", "Message-ID"}) {
        String v = inner.getHeader(h, ", ");
        if (v != null) {
          out.printf("%-8s %s%n", h.toLowerCase(java.util.Locale.ROOT), Printing.safe(MimeUtility.decodeText(v)));
        }
      }
      out.println();
      walk(inner, out, counter, depth + 1);
      out.println("---------- end of forwarded message ----------");
      return;
    }
    boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || p.getFileName() != null;
    if (!attachment && p.isMimeType("text/plain")) {
      out.println(attachments != null ? String.valueOf(p.getContent()) : Printing.safeText(String.valueOf(p.getContent())));
      return;
    }
    String name = p.getFileName() != null ? MimeUtility.decodeText(p.getFileName()) : "part-" + (counter[0] + 1);
    counter[0]++;
    byte[] data;
    try (InputStream in = p.getInputStream()) {
      data = in.readAllBytes();
    }
    String type = p.getContentType().split(";")[0].trim();
    if (attachments != null) {
      attachments.addObject().put("number", counter[0]).put("name", name).put("type", type).put("size", data.length);
    } else {
      out.printf("[attachment %d] %s (%s, %d bytes)%n", counter[0], Printing.safe(name), type, data.length);
    }
    if (saveTo != null) {
      SecureFiles.privateDirectory(saveTo);
      String base = name.replace('\\', '/');
      base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
      // a name that is only dots ("..", ".") would name a folder, not a file
      String safe = base.replace(".", "").isEmpty() ? "attachment-" + counter[0] : base;
      Path target = saveTo.resolve(safe);
      SecureFiles.writeAtomically(target, data);
      out.printf("  saved to %s%n", target);
    }
  }
}
