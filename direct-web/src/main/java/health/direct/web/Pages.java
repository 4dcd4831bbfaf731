package health.direct.web;

import health.direct.app.DirectSession;
import health.direct.app.access.SignIn;
import health.direct.app.mail.MailFolders;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.mime.MessageContents;
import health.direct.core.mime.MimeLimits;
import health.direct.core.store.DirectHome;
import io.javalin.http.Context;
import java.io.InputStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The pages: each handler reads the request, calls the application layer, and renders what came
 * back. Nothing here decides a rule of the threat model; the verdicts shown are the ones stored
 * when the message was opened.
 */
final class Pages {
  static final String SESSION = "direct.session";
  static final int PAGE_SIZE = 50;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final List<Folder> SHOWN = List.of(Folder.INBOX, Folder.QUARANTINE, Folder.SENT, Folder.RECEIPTS,
      Folder.ARCHIVE);

  /** Renders template {@code name} with {@code model}. */
  @FunctionalInterface
  interface Renderer {
    String render(String name, Object model);
  }

  private final String cookieFlags;
  private final DirectHome home;
  private final SignIn signIn;
  private final WebSessions sessions;
  private final LoginThrottle throttle;
  private final Renderer renderer;
  private final MimeLimits limits;

  Pages(boolean secure, DirectHome home, SignIn signIn, WebSessions sessions, LoginThrottle throttle, Renderer renderer,
      MimeLimits limits) {
    this.cookieFlags = "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    this.home = home;
    this.signIn = signIn;
    this.sessions = sessions;
    this.throttle = throttle;
    this.renderer = renderer;
    this.limits = limits;
  }

  Renderer renderer() {
    return renderer;
  }

  void loginForm(Context ctx) {
    ctx.html(renderer.render("login.jte", new Views.Login(home.root().toString(), Optional.empty())));
  }

  void login(Context ctx) {
    String client = ctx.ip();
    Duration wait = throttle.wait(client);
    if (!wait.isZero()) {
      ctx.status(429).header("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
      ctx.html(renderer.render("login.jte", new Views.Login(home.root().toString(), Optional.of(
          "Too many wrong passwords: wait " + Math.max(1, wait.toSeconds()) + " seconds, then try again."))));
      return;
    }
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
    char[] chars = password.toCharArray();
    try {
      DirectSession session = signIn.with(chars);
      throttle.succeeded(client);
      WebSession s = sessions.start(session);
      ctx.header("Set-Cookie", WebServer.COOKIE + "=" + s.id + cookieFlags);
      ctx.redirect("/folders/inbox");
    } catch (DirectException e) {
      if (e.problem() != Problem.LOGIN_REFUSED) {
        throw e;
      }
      throttle.failed(client);
      ctx.status(401);
      ctx.html(renderer.render("login.jte", new Views.Login(home.root().toString(), Optional.of(e.getMessage()))));
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  void logout(Context ctx) {
    sessions.end(session(ctx).id);
    ctx.header("Set-Cookie", WebServer.COOKIE + "=; Max-Age=0" + cookieFlags);
    ctx.redirect("/login");
  }

  void folder(Context ctx) {
    WebSession s = session(ctx);
    Folder folder = folder(ctx.pathParam("folder"));
    MailFolders folders = new MailFolders(s.mailbox);
    MailFolders.Page p = folders.page(folder, true, ctx.queryParamAsClass("page", Integer.class).getOrDefault(1),
        PAGE_SIZE);
    if (p.page() > p.pages()) {
      p = folders.page(folder, true, p.pages(), PAGE_SIZE); // past the end: the last page
    }
    ZoneId zone = ZoneId.systemDefault();
    List<Views.Row> rows = p.messages().stream()
        .map(m -> new Views.Row(m.number(), Badges.styleClass(m.summary().verdict()), Badges.label(m.summary().verdict()),
            orDash(m.summary().from()), orDash(m.summary().subject()),
            WHEN.format(m.summary().date().orElse(m.storedAt()).atZone(zone))))
        .toList();
    ctx.html(renderer.render("folder.jte", new Views.FolderPage(account(s), s.csrf, tabs(folder), folder.dirName(),
        label(folder), rows, p.page(), p.pages(), p.total())));
  }

  void message(Context ctx) {
    WebSession s = session(ctx);
    Folder folder = folder(ctx.pathParam("folder"));
    StoredMessage m = new MailFolders(s.mailbox).find(folder, number(ctx.pathParam("number")));
    List<Views.Header> headers = new ArrayList<>();
    List<Views.Block> blocks = new ArrayList<>();
    Optional<String> problem = Optional.empty();
    try (MessageContents c = new MailFolders(s.mailbox).contents(m, limits)) {
      headers.addAll(headers(c.headers()));
      for (MessageContents.Block b : c.blocks()) {
        if (b instanceof MessageContents.Text t) {
          blocks.add(Views.Block.text(t.text()));
        } else if (b instanceof MessageContents.ForwardedStart f) {
          blocks.add(new Views.Block("forwarded", "", headers(f.headers()), 0, "", "", 0, "", Optional.empty()));
        } else if (b instanceof MessageContents.ForwardedEnd) {
          blocks.add(new Views.Block("end", "", List.of(), 0, "", "", 0, "", Optional.empty()));
        } else if (b instanceof MessageContents.Attachment a) {
          blocks.add(PartViews.attachment(c, a));
        }
      }
    } catch (DirectException e) {
      // shown, not thrown: the verdict and the headers the index keeps are still worth seeing
      problem = Optional.of(e.getMessage());
    } catch (java.io.IOException e) {
      problem = Optional.of("the stored message cannot be read: " + e.getMessage());
    }
    if (headers.isEmpty()) {
      headers.add(new Views.Header("From", orDash(m.summary().from())));
      headers.add(new Views.Header("Subject", orDash(m.summary().subject())));
    }
    ctx.html(renderer.render("message.jte", new Views.MessagePage(account(s), s.csrf, tabs(folder), folder.dirName(),
        m.number(), Badges.styleClass(m.summary().verdict()), Badges.label(m.summary().verdict()),
        Optional.ofNullable(m.summary().detail()).orElse(""), headers, blocks, problem)));
  }

  /** An attachment, always as a download: a browser never renders what a message carries. */
  void attachment(Context ctx) throws java.io.IOException {
    download(ctx, session(ctx).mailbox, limits);
  }

  /**
   * Answers with attachment {attachment} of message {number} of {folder} (path parameters), as
   * {@code application/octet-stream} under a safe file name, its declared type in
   * {@code X-Direct-Content-Type}: the web client's and the API's downloads.
   */
  static void download(Context ctx, health.direct.core.mailbox.Mailbox mailbox, MimeLimits limits)
      throws java.io.IOException {
    Folder folder = folder(ctx.pathParam("folder"));
    StoredMessage m = new MailFolders(mailbox).find(folder, number(ctx.pathParam("number")));
    int n = (int) number(ctx.pathParam("attachment"));
    try (MessageContents c = new MailFolders(mailbox).contents(m, limits)) {
      MessageContents.Attachment a = c.attachments().stream().filter(x -> x.number() == n).findFirst()
          .orElseThrow(() -> new DirectException(Problem.NOT_FOUND, "the message has no attachment " + n));
      byte[] data;
      try (InputStream in = c.attachment(n)) {
        data = in.readAllBytes();
      }
      ctx.header("Content-Disposition", "attachment; filename=\"" + a.fileName() + "\"");
      ctx.header("X-Direct-Content-Type", a.type());
      ctx.contentType("application/octet-stream");
      ctx.result(data);
    }
  }

  /** An error in words, as a plain page with the status its problem has. */
  void problem(DirectException e, Context ctx) {
    ctx.status(e.problem().httpStatus()).contentType("text/plain; charset=utf-8").result(e.getMessage());
  }

  static WebSession session(Context ctx) {
    return ctx.attribute(SESSION);
  }

  static Folder folderNamed(String name) {
    return folder(name);
  }

  static long numberOf(String text) {
    return number(text);
  }

  private static Folder folder(String name) {
    return Folder.named(name).orElseThrow(() -> new DirectException(Problem.NOT_FOUND, "there is no folder '" + name
        + "' (inbox, quarantine, sent, receipts, archive)"));
  }

  private static long number(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new DirectException(Problem.NOT_FOUND, "'" + text + "' is not a message number");
    }
  }

  static List<Views.Tab> tabs(Folder current) {
    return SHOWN.stream().map(f -> new Views.Tab(f.dirName(), label(f), f == current)).toList();
  }

  private static String label(Folder f) {
    return Character.toUpperCase(f.dirName().charAt(0)) + f.dirName().substring(1);
  }

  private static List<Views.Header> headers(MessageContents.Headers h) {
    List<Views.Header> out = new ArrayList<>();
    h.from().ifPresent(v -> out.add(new Views.Header("From", v)));
    h.to().ifPresent(v -> out.add(new Views.Header("To", v)));
    h.cc().ifPresent(v -> out.add(new Views.Header("Cc", v)));
    h.date().ifPresent(v -> out.add(new Views.Header("Date", v)));
    h.subject().ifPresent(v -> out.add(new Views.Header("Subject", v)));
    return out;
  }

  /** Whose mail this is: the account's address, else the only identity's owner, else the home's folder name. */
  static String account(WebSession s) {
    return s.session.mail().address().orElseGet(() -> {
      List<health.direct.core.store.IdentityInfo> ids = new health.direct.app.admin.Identities(s.session).list();
      return ids.size() == 1 ? ids.get(0).owner() : s.session.home().root().getFileName().toString();
    });
  }

  private static String orDash(String v) {
    return v == null || v.isBlank() ? "-" : v;
  }
}
