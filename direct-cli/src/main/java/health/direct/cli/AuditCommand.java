package health.direct.cli;

import health.direct.app.audit.Audit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.audit.Disclosure;
import health.direct.core.mailbox.Mailbox;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct audit}: the sent folder as an accounting of disclosures (risk 1). */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Report every disclosure in the sent folder: when, from and to whom, secured or not, the "
        + "subject, each attachment (name, type, size, SHA-256) and each recipient's outcome. This is the "
        + "accounting of disclosures a privacy officer asks for; the report contains subjects, so treat it as PHI."})
final class AuditCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--since", paramLabel = "DATE", description = "From this day (YYYY-MM-DD, UTC) or instant.")
  String since;

  @Option(names = "--until", paramLabel = "DATE", description = "Up to the end of this day (YYYY-MM-DD, UTC) or instant.")
  String until;

  @Option(names = "--imap-folder", paramLabel = "FOLDER",
      description = "Also take the copies in this folder of the IMAP account (e.g. Sent), left on the server, so "
          + "that messages other mail clients sent count too; unprotected ones get a DLP check.")
  String imapFolder;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Option(names = "--history", description = "Instead of the disclosures, list every message moved or deleted "
      + "(when, what, from which folder; headers only).")
  boolean history;

  @Option(names = "--csv", description = "Print as CSV (RFC 4180).")
  boolean csv;

  @Override
  public Integer call() {
    CliContext ctx = root.context();
    if (history) {
      return history(ctx);
    }
    List<Disclosure> all;
    int changes;
    try (Mailbox box = ctx.mailbox()) {
      changes = box.history().size();
      Audit audit = new Audit(ctx.session(), box);
      if (imapFolder != null) {
        audit.importServerCopies(imapFolder);
      }
      all = audit.disclosures(instant(since, false), instant(until, true));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode a = new ObjectMapper().createArrayNode();
      for (Disclosure d : all) {
        ObjectNode n = a.addObject().put("when", d.when().toString()).put("messageId", d.messageId())
            .put("from", d.from()).put("secured", d.secured()).put("subject", d.subject());
        d.to().forEach(n.putArray("to")::add);
        ArrayNode at = n.putArray("attachments");
        d.attachments().forEach(x -> at.addObject().put("name", x.name()).put("type", x.type()).put("size", x.size())
            .put("sha256", x.sha256()));
        d.outcomes().forEach(n.putArray("outcomes")::add);
      }
      out.println(a);
    } else if (csv) {
      out.print(health.direct.core.audit.DisclosureCsv.of(all));
    } else {
      if (all.isEmpty()) {
        out.println("no disclosures in this period");
      }
      for (Disclosure d : all) {
        out.printf("%s  %s -> %s  %s%n  subject   %s%n", d.when(), Printing.safe(String.valueOf(d.from())),
            Printing.safe(String.join(", ", d.to())), d.secured() ? "secured (S/MIME)" : "NOT SECURED",
            Printing.safe(String.valueOf(d.subject())));
        for (Disclosure.Attachment x : d.attachments()) {
          out.printf("  attached  %s (%s, %d bytes) sha256 %s%n", Printing.safe(x.name()), Printing.safe(x.type()),
              x.size(), x.sha256());
        }
        for (String o : d.outcomes()) {
          out.printf("  outcome   %s%n", Printing.safe(o));
        }
      }
      if (changes > 0) {
        out.printf("%d message(s) moved or deleted in the mailbox: 'direct audit --history' lists them%n", changes);
      }
    }
    out.flush();
    return 0;
  }

  private int history(CliContext ctx) {
    List<Mailbox.HistoryEntry> h;
    try (Mailbox box = ctx.mailbox()) {
      h = new Audit(ctx.session(), box).history(instant(since, false), instant(until, true));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode a = new ObjectMapper().createArrayNode();
      for (Mailbox.HistoryEntry e : h) {
        a.addObject().put("at", Times.json(e.at())).put("action", e.action()).put("folder", e.folder().dirName())
            .put("number", e.number()).put("to", e.to().map(f -> f.dirName()).orElse(null))
            .put("messageId", e.messageId()).put("from", e.from()).put("recipients", e.recipients())
            .put("date", e.date().map(Times::json).orElse(null)).put("reason", e.reason());
      }
      out.println(a);
    } else if (h.isEmpty()) {
      out.println("no message was moved or deleted in this period");
    } else {
      java.time.ZoneId zone = Times.zone(root.env);
      for (Mailbox.HistoryEntry e : h) {
        out.printf("%s  %s %s %d%s  %s from %s (%s)%n", Times.localSeconds(e.at(), zone), e.action(),
            e.folder().dirName(), e.number(), e.to().map(f -> " -> " + f.dirName()).orElse(""),
            Printing.safe(String.valueOf(e.messageId())), Printing.safe(String.valueOf(e.from())), e.reason());
      }
    }
    out.flush();
    return 0;
  }

  private static Optional<Instant> instant(String text, boolean endOfDay) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      if (text.length() == 10) {
        LocalDate d = LocalDate.parse(text);
        return Optional.of((endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC)
            .minusNanos(endOfDay ? 1 : 0));
      }
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw new DirectException(Problem.USAGE, "'" + text + "' is not a date (YYYY-MM-DD) or an instant "
          + "(2026-11-26T10:00:00Z)");
    }
  }
}
