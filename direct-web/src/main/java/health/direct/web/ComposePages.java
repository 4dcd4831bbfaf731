package health.direct.web;

import health.direct.app.admin.Identities;
import health.direct.app.status.SentMessages;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.compose.Draft;
import health.direct.core.io.SecureFiles;
import health.direct.core.mime.MessageContents;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outgoing.Submission;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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

  void form(Context ctx) {
    WebSession s = Pages.session(ctx);
    ctx.html(renderer.render("compose.jte", view(s, "", "", "", Optional.empty())));
  }

  void send(Context ctx) throws IOException {
    WebSession s = Pages.session(ctx);
    String to = Optional.ofNullable(ctx.formParam("to")).orElse("");
    String subject = Optional.ofNullable(ctx.formParam("subject")).orElse("");
    String body = Optional.ofNullable(ctx.formParam("body")).orElse("").replace("\r\n", "\n");
    Path uploads = SecureFiles.privateDirectory(s.session.home().work().resolve("upload-" + WebSessions.token()));
    try {
      List<Path> files = new ArrayList<>();
      for (UploadedFile f : ctx.uploadedFiles("attachments")) {
        if (f.filename() == null || f.filename().isBlank()) {
          continue; // the file input left empty
        }
        Path dir = SecureFiles.privateDirectory(uploads.resolve(Integer.toString(files.size() + 1)));
        Path file = SecureFiles.privateFile(dir.resolve(MessageContents.fileName(f.filename(), files.size() + 1)));
        try (InputStream in = f.content()) {
          Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        files.add(file);
      }
      Submission sub;
      try {
        Draft d = new Draft(sender(s), recipients(to), List.of(), subject, body, files);
        sub = s.session.send(s.mailbox).submit(d);
      } catch (DirectException e) {
        if (e.problem() == Problem.IO || e.problem() == Problem.STORE) {
          throw e;
        }
        // nothing was sent: the form comes back as it was typed, with the reason
        ctx.status(422);
        ctx.html(renderer.render("compose.jte", view(s, to, subject, body, Optional.of(e.getMessage()))));
        return;
      }
      s.session.deliver(s.mailbox).deliverDue(f -> { });
      ctx.redirect("/status/" + sub.entries().get(0).id());
    } finally {
      SecureFiles.deleteTree(uploads);
    }
  }

  void status(Context ctx) {
    WebSession s = Pages.session(ctx);
    SentMessages.Sent sent = new SentMessages(s.session.outbox(), s.mailbox).find(ctx.pathParam("id"));
    List<Views.Recipient> rs = sent.entry().recipients().stream()
        .map(r -> new Views.Recipient(r.address().toString(), r.outcome(), Optional.ofNullable(r.lastResult()).orElse("")))
        .toList();
    ctx.html(renderer.render("status.jte", new Views.Status(Pages.account(s), s.csrf, Pages.tabs(null),
        sent.entry().id(), sent.subject().orElse("(no subject)"), rs, List.of())));
  }

  private Views.Compose view(WebSession s, String to, String subject, String body, Optional<String> problem) {
    String from = new Identities(s.session).defaultSender().map(DirectAddress::toString)
        .orElse("(set account.address in this home's settings)");
    return new Views.Compose(Pages.account(s), s.csrf, Pages.tabs(null), from, to, subject, body,
        (MAX_FILE >> 20) + " MB", problem);
  }

  private static DirectAddress sender(WebSession s) {
    return new Identities(s.session).defaultSender().orElseThrow(() -> new DirectException(Problem.USAGE,
        "this home has several identities and no account.address: set account.address in its settings to say who sends"));
  }

  private static List<DirectAddress> recipients(String to) {
    return Arrays.stream(to.split("[,;\\s]+")).filter(a -> !a.isBlank()).map(DirectAddress::parse).toList();
  }
}
