package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import health.direct.app.mail.MailFolders;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct search}: the local folders by sender, recipient, date and subject words. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Find messages in the local folders. Every criterion given must match; words are looked for in the "
        + "subject (message text is not indexed). Dates are days in your time zone (TZ).")
final class SearchCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "WORD", description = "Words the subject contains.")
  List<String> words = new ArrayList<>();

  @Option(names = "--folder", paramLabel = "FOLDER", description = "Only this folder (default: all).")
  String folder;

  @Option(names = "--from", paramLabel = "TEXT", description = "The sender's address contains this.")
  String from;

  @Option(names = "--to", paramLabel = "TEXT", description = "A recipient's address contains this.")
  String to;

  @Option(names = "--since", paramLabel = "YYYY-MM-DD", description = "Sent on or after this day.")
  String since;

  @Option(names = "--until", paramLabel = "YYYY-MM-DD", description = "Sent on or before this day.")
  String until;

  @Option(names = "--json", description = "Print as JSON (the fields of the folder listings).")
  boolean json;

  @Override
  public Integer call() {
    ZoneId zone = Times.zone(root.env);
    Mailbox.Query q = new Mailbox.Query(Optional.ofNullable(folder).map(FolderRef::folder), Optional.ofNullable(from),
        Optional.ofNullable(to), words, Optional.ofNullable(since).map(d -> day(d, "--since", zone)),
        Optional.ofNullable(until).map(d -> day(d, "--until", zone).plusSeconds(86_400)));
    try (Mailbox box = root.context().mailbox()) {
      List<StoredMessage> found = new MailFolders(box).search(q);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode a = new ObjectMapper().createArrayNode();
        found.forEach(m -> MailboxCommands.json(a.addObject(), m));
        out.println(a);
      } else if (found.isEmpty()) {
        out.println("no message matches");
      } else {
        found.forEach(m -> MailboxCommands.line(out, m, zone, true));
      }
    }
    return 0;
  }

  private static Instant day(String d, String option, ZoneId zone) {
    try {
      return LocalDate.parse(d).atStartOfDay(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new DirectException(Problem.USAGE, option + " takes a day as YYYY-MM-DD, not '" + d + "'");
    }
  }
}
