package health.direct.web;

import health.direct.app.admin.Identities;
import health.direct.app.mail.MailFolders;
import health.direct.app.send.Reachability;
import health.direct.app.status.SentMessages;
import health.direct.core.mailbox.Folder;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.compose.Draft;
import health.direct.core.io.SecureFiles;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outgoing.Submission;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writing and sending a message from the browser, and where each recipient stands afterwards.
 * The message goes through the same send use case as {@code direct send} (risk 1's rules are
 * decided there), and is handed to the mail servers at once; the agent retries what could not be.
 */
final class ComposePages {
  /** The most one attached file may be (also what the page says). */
  static final long MAX_FILE = 25L << 20;

  private final Pages.Renderer renderer;

  ComposePages(Pages.Renderer renderer) {
    this.renderer = renderer;
  }

  /** The form: empty, or filled in to answer ({@code ?reply=inbox/3}, {@code ?replyAll=...}) or pass on ({@code ?forward=...}). */
  void form(Context ctx) {
    WebSession s = Pages.session(ctx);
    Optional<Answer> answer = Answer.of(ctx);
    if (answer.isEmpty()) {
      ctx.html(renderer.render("compose.jte", view(s, "", "", "", Optional.empty(), "")));
      return;
    }
    Draft d = answer.get().draft(s, List.of(), "");
    String to = String.join(", ", java.util.stream.Stream.concat(d.to().stream(), d.cc().stream())
        .map(DirectAddress::toString).toList());
    ctx.html(renderer.render("compose.jte", view(s, to, d.subject(), d.body(), Optional.empty(),
        answer.get().token())));
  }

  /** What the message being written answers or passes on: {@code reply:inbox:3}, {@code replyAll:...}, {@code forward:...}. */
  private record Answer(String kind, Folder folder, long number) {
    static Optional<Answer> of(Context ctx) {
      for (String kind : List.of("reply", "replyAll", "forward")) {
        String v = ctx.queryParam(kind);
        if (v != null) {
          return Optional.of(parse(kind, v.replace('/', ':')));
        }
      }
      return Optional.ofNullable(ctx.formParam("answer")).filter(a -> !a.isBlank())
          .map(a -> parse(a.substring(0, Math.max(0, a.indexOf(':'))), a.substring(a.indexOf(':') + 1)));
    }

    static Answer parse(String kind, String ref) {
      String[] f = ref.split(":", 2);
      if (f.length != 2 || !List.of("reply", "replyAll", "forward").contains(kind)) {
        throw new DirectException(Problem.USAGE, "'" + ref + "' names no message to answer (folder/number)");
      }
      return new Answer(kind, Pages.folderNamed(f[0]), Pages.numberOf(f[1]));
    }

    String token() {
      return kind + ":" + folder.dirName() + ":" + number;
    }

    /** The use case's draft (thread headers, the forwarded message) for this answer. */
    Draft draft(WebSession s, List<DirectAddress> to, String text) {
      MailFolders folders = new MailFolders(s.mailbox);
      return kind.equals("forward")
          ? folders.forward(folder, number, () -> sender(s), to, List.of(), () -> text)
          : folders.reply(folder, number, () -> sender(s), kind.equals("replyAll"), () -> text);
    }
  }

  /** For the form's live check: whether each address typed can be sent to, and secured, with the reason. */
  void check(Context ctx) {
    WebSession s = Pages.session(ctx);
    List<Views.Reach> answers = new ArrayList<>();
    Optional<DirectAddress> from = new Identities(s.session).defaultSender();
    Reachability r = new Reachability(s.session.discovery(), s.session.trustAnchors(), s.session.config().unsecured());
    for (String a : Optional.ofNullable(ctx.queryParam("to")).orElse("").split("[,;\\s]+")) {
      if (a.isBlank()) {
        continue;
      }
      if (answers.size() == 10) {
        break; // enough for one look; the send checks them all again
      }
      DirectAddress to;
      try {
        to = DirectAddress.parse(a);
      } catch (DirectException e) {
        answers.add(new Views.Reach(a, "no", e.getMessage()));
        continue;
      }
      Reachability.Answer ans = r.check(to, from);
      if (ans instanceof Reachability.Secured sec) {
        answers.add(new Views.Reach(a, "yes", "can be secured: " + sec.accepted().level().label() + "-bound certificate "
            + "from " + sec.accepted().source()));
      } else if (ans instanceof Reachability.UnsecuredAllowed u) {
        answers.add(new Views.Reach(a, "unsecured", "would go without S/MIME: " + u.reason()));
      } else if (ans instanceof Reachability.Refused no) {
        answers.add(new Views.Reach(a, "no", "cannot be sent to: " + no.reason()));
      }
    }
    ctx.html(renderer.render("reach.jte", answers));
  }

  void send(Context ctx) throws IOException {
    WebSession s = Pages.session(ctx);
    String to = Optional.ofNullable(ctx.formParam("to")).orElse("");
    String subject = Optional.ofNullable(ctx.formParam("subject")).orElse("");
    String body = Optional.ofNullable(ctx.formParam("body")).orElse("").replace("\r\n", "\n");
    Path uploads = SecureFiles.privateDirectory(s.session.home().work().resolve("upload-" + WebSessions.token()));
    try {
      List<Path> files = Uploads.save(ctx, uploads);
      Submission sub;
      Optional<Answer> answer = Answer.of(ctx);
      try {
        List<DirectAddress> recipients = recipients(to);
        Draft d = new Draft(sender(s), recipients, List.of(), subject, body, files);
        if (answer.isPresent()) {
          // the thread's headers and any forwarded message from the use case; the words as typed
          Draft a = answer.get().draft(s, recipients, body);
          d = new Draft(d.from(), recipients, List.of(), subject, body, files, a.inReplyTo(), a.references(),
              a.forwarded());
        }
        sub = s.session.send(s.mailbox).submit(d);
      } catch (DirectException e) {
        if (e.problem() == Problem.IO || e.problem() == Problem.STORE) {
          throw e;
        }
        // nothing was sent: the form comes back as it was typed, with the reason
        ctx.status(e.problem().httpStatus());
        ctx.html(renderer.render("compose.jte", view(s, to, subject, body, Optional.of(e.getMessage()),
            answer.map(Answer::token).orElse(""))));
        return;
      }
      s.session.deliver(s.mailbox).deliverDue(f -> { });
      ctx.redirect("/status/" + sub.entries().get(0).id());
    } finally {
      SecureFiles.deleteTree(uploads);
    }
  }

  void status(Context ctx) {
    ctx.html(renderer.render("status.jte", statusView(ctx)));
  }

  /** The recipients' rows alone, which the status page asks for every few seconds until nothing more will change. */
  void recipients(Context ctx) {
    ctx.html(renderer.render("recipients.jte", statusView(ctx)));
  }

  private static Views.Status statusView(Context ctx) {
    WebSession s = Pages.session(ctx);
    SentMessages.Sent sent = new SentMessages(s.session.outbox(), s.mailbox).find(ctx.pathParam("id"));
    List<Views.Recipient> rs = sent.entry().recipients().stream()
        .map(r -> new Views.Recipient(r.address().toString(), r.outcome(), Optional.ofNullable(r.lastResult()).orElse("")))
        .toList();
    boolean settled = sent.entry().recipients().stream().allMatch(health.direct.core.outbox.OutboxEntry.RecipientState::settled);
    return new Views.Status(Pages.account(s), s.csrf, Pages.tabs(null), sent.entry().id(),
        sent.subject().orElse("(no subject)"), rs, List.of(), settled);
  }

  private Views.Compose view(WebSession s, String to, String subject, String body, Optional<String> problem,
      String answer) {
    String from = new Identities(s.session).defaultSender().map(DirectAddress::toString)
        .orElse("(set account.address in this home's settings)");
    List<String> contacts = new health.direct.app.contacts.Contacts(s.session).list().stream()
        .map(c -> c.address().toString()).sorted().toList();
    String heading = answer.startsWith("forward") ? "Forward" : answer.isEmpty() ? "New message" : "Reply";
    return new Views.Compose(Pages.account(s), s.csrf, Pages.tabs(null), heading, from, to, subject, body,
        (MAX_FILE >> 20) + " MB", problem, answer, contacts);
  }

  private static DirectAddress sender(WebSession s) {
    return new Identities(s.session).defaultSender().orElseThrow(() -> new DirectException(Problem.USAGE,
        "this home has several identities and no account.address: set account.address in its settings to say who sends"));
  }

  private static List<DirectAddress> recipients(String to) {
    return Arrays.stream(to.split("[,;\\s]+")).filter(a -> !a.isBlank()).map(DirectAddress::parse).toList();
  }
}
