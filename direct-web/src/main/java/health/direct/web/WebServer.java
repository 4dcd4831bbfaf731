package health.direct.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import health.direct.app.access.SignIn;
import health.direct.core.store.DirectHome;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.util.Optional;

/**
 * The web client of {@code direct serve}: sign-in with the home's store password, the folders and
 * the messages, on the application layer's use cases. Every answer carries a Content-Security-Policy
 * that allows no script and no resource from elsewhere, forbids framing and sniffing, and is never
 * cached; the session cookie is HttpOnly and SameSite=Strict; every form that changes something
 * carries the session's CSRF token and a POST from another origin is refused. Nothing from a
 * message reaches the server's log.
 *
 * <pre>{@code
 * try (WebServer web = WebServer.start(WebSettings.of("127.0.0.1", 8025, Duration.ofMinutes(15)), home, config, clock)) {
 *   System.out.println("http://127.0.0.1:" + web.port() + "/");
 * }
 * }</pre>
 */
public final class WebServer implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebServer.class);
  static final String COOKIE = "direct_session";
  // script only from this server's own files (htmx, bundled), never inline, never evaluated
  static final String POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
      + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /** The most a JSON request may be (base64 attachments included); larger messages go as multipart. */
  static final long MAX_JSON = 48L << 20;

  /** htmx from its WebJar in the jar (the WebJar has no folder entries, so it is served as one file). */
  private static final byte[] HTMX = resource("/META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js");

  private final Javalin app;
  private final WebSessions sessions;
  private final Optional<ApiEvents> events;

  private WebServer(Javalin app, WebSessions sessions, Optional<ApiEvents> events) {
    this.app = app;
    this.sessions = sessions;
    this.events = events;
  }

  /** Starts serving {@code home}'s web client as {@code settings} say, without the API. */
  public static WebServer start(WebSettings settings, DirectHome home, health.direct.core.store.HomeConfig config,
      Clock clock) {
    return start(settings, home, config, clock, Optional.empty());
  }

  /**
   * Starts serving {@code home} as {@code settings} say, with the HTTP API under {@code /api/v1}
   * when {@code api} is given; stop it with {@link #close()}.
   */
  public static WebServer start(WebSettings settings, DirectHome home, health.direct.core.store.HomeConfig config,
      Clock clock, Optional<ApiAccess> api) {
    TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html, WebServer.class.getClassLoader(),
        "health.direct.web.templates");
    WebSessions sessions = new WebSessions(settings.idleTimeout(), clock);
    Pages pages = new Pages(settings.tls().isPresent(), home, new SignIn(home, config, clock), sessions, new LoginThrottle(clock),
        (name, model) -> {
          StringOutput out = new StringOutput();
          templates.render(name, model, out);
          return out.toString();
        }, config.mimeLimits());
    ComposePages compose = new ComposePages(pages.renderer());
    RecordPages records = new RecordPages(pages.renderer());
    // uploads that do not fit in memory wait in the home's owner-only work folder, never in /tmp
    // (emptied at start: nothing uploaded before a restart belongs to a message any more)
    java.nio.file.Path uploads = home.work().resolve("uploads");
    health.direct.core.io.SecureFiles.deleteTree(uploads);
    health.direct.core.io.SecureFiles.privateDirectory(uploads);
    Optional<Api> rest = api.map(a -> new Api(a, new health.direct.app.access.ApiTokens(home, clock),
        new health.direct.app.send.SendOnce(home, clock), config.mimeLimits()));
    Optional<ApiEvents> events = api.map(ApiEvents::new);
    Javalin app = Javalin.create(c -> {
      c.http.maxRequestSize = MAX_JSON;
      c.jetty.multipartConfig.cacheDirectory(uploads.toString());
      c.jetty.multipartConfig.maxFileSize(ComposePages.MAX_FILE, io.javalin.config.SizeUnit.BYTES);
      c.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
      c.jetty.multipartConfig.maxTotalRequestSize(4 * ComposePages.MAX_FILE, io.javalin.config.SizeUnit.BYTES);
      c.jetty.host = settings.host().getHostAddress();
      c.jetty.port = settings.port();
      settings.tls().ifPresent(key -> c.jetty.addConnector((server, http) -> TlsConnector.of(server, http, settings, key)));
      c.startup.showJavalinBanner = false;
      c.staticFiles.add(s -> {
        s.hostedPath = "/static";
        s.directory = "/health/direct/web/static";
        s.location = Location.CLASSPATH;
      });
      c.routes.before(ctx -> guard(ctx, sessions, settings));
      c.routes.get("/static/js/htmx.min.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(HTMX));
      c.routes.get("/login", pages::loginForm);
      c.routes.post("/login", pages::login);
      c.routes.post("/logout", pages::logout);
      c.routes.get("/", ctx -> ctx.redirect("/folders/inbox"));
      c.routes.get("/folders/{folder}", pages::folder);
      c.routes.get("/folders/{folder}/{number}", pages::message);
      c.routes.get("/folders/{folder}/{number}/attachments/{attachment}", pages::attachment);
      c.routes.get("/compose", compose::form);
      c.routes.post("/compose", compose::send);
      c.routes.get("/compose/check", compose::check);
      c.routes.get("/contacts", records::contacts);
      c.routes.get("/contacts/discover", records::discover);
      c.routes.post("/contacts/verify", records::verify);
      c.routes.post("/contacts/test", records::sendTest);
      c.routes.get("/audit", records::audit);
      c.routes.get("/audit.csv", records::auditCsv);
      c.routes.get("/health", records::health);
      c.routes.get("/status/{id}", compose::status);
      c.routes.get("/status/{id}/recipients", compose::recipients);
      rest.ifPresent(r -> {
        c.routes.before("/api/*", r::authenticate);
        c.routes.before("/api/v1/events", r::eventsAsked);
        c.routes.get("/api/v1/openapi.json", r::description);
        c.routes.get("/api/v1/folders/{folder}/messages", r::list);
        c.routes.get("/api/v1/folders/{folder}/messages/{number}", r::message);
        c.routes.get("/api/v1/folders/{folder}/messages/{number}/attachments/{attachment}", r::attachment);
        c.routes.post("/api/v1/messages", r::send);
        c.routes.get("/api/v1/sent/{id}", r::status);
        c.routes.get("/api/v1/can-send", r::canSend);
        c.routes.sse("/api/v1/events", client -> events.get().join(client));
      });
      c.routes.exception(health.direct.core.DirectException.class, (e, ctx) -> {
        if (isApi(ctx)) {
          Api.problem(e, ctx);
        } else {
          pages.problem(e, ctx);
        }
      });
      c.routes.exception(Exception.class, (e, ctx) -> {
        // a fault of ours: said in words, the class name kept out of the answer
        health.direct.core.Problem p = e instanceof io.javalin.http.HttpResponseException h && h.getStatus() < 500
            ? health.direct.core.Problem.USAGE : health.direct.core.Problem.INTERNAL;
        String words = p == health.direct.core.Problem.USAGE ? "the request cannot be read: "
            + health.direct.core.FaultWords.scrub(health.direct.core.FaultWords.rootMessage(e)) : "something went wrong in direct itself; the server's log says more";
        if (p == health.direct.core.Problem.INTERNAL) {
          LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
        }
        if (isApi(ctx)) {
          ApiProblems.answer(ctx, p, words);
        } else {
          ctx.status(p.httpStatus()).contentType("text/plain; charset=utf-8").result(words);
        }
      });
      c.routes.error(404, ctx -> {
        if (isApi(ctx) && !ApiProblems.TYPE.equals(ctx.res().getContentType())) {
          ApiProblems.answer(ctx, health.direct.core.Problem.NOT_FOUND, "there is no " + ctx.method() + " "
              + ctx.path() + " in the API (see /api/v1/openapi.json)");
        }
      });
    });
    app.start();
    return new WebServer(app, sessions, events);
  }

  /**
   * Before every request: the security headers; a POST only from this origin; and every page but
   * the sign-in and the style sheet only for a signed-in session (else to the sign-in), with the
   * session's CSRF token on every POST.
   */
  private static void guard(Context ctx, WebSessions sessions, WebSettings settings) {
    if (settings.tls().isPresent()) {
      ctx.header("Strict-Transport-Security", "max-age=31536000");
    }
    ctx.header("Content-Security-Policy", POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on its own forms
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", "no-store");
    boolean post = ctx.method() == HandlerType.POST;
    String path = ctx.path();
    if (isApi(ctx)) {
      return; // no cookies there: a bearer token decides (Api.authenticate), so neither CSRF nor Origin matters
    }
    if (post && !sameOrigin(ctx, settings.scheme())) {
      ctx.status(403).result("refused: this form was sent from another site");
      ctx.skipRemainingHandlers();
      return;
    }
    if (path.startsWith("/static/") || path.equals("/login")) {
      return;
    }
    Optional<WebSession> s = sessions.find(ctx.cookie(COOKIE));
    if (s.isEmpty()) {
      if (post) {
        ctx.status(401).result("your session has ended: sign in again");
      } else {
        ctx.redirect("/login");
      }
      ctx.skipRemainingHandlers();
      return;
    }
    if (post && !s.get().csrf.equals(ctx.formParam("csrf"))) {
      ctx.status(403).result("refused: the form carries no valid token (reload the page and try again)");
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute(Pages.SESSION, s.get());
  }

  private static boolean isApi(Context ctx) {
    return ctx.path().startsWith("/api/");
  }

  /** A POST whose Origin (or, without one, Referer) is this server, or that names neither. */
  private static boolean sameOrigin(Context ctx, String scheme) {
    String origin = Optional.ofNullable(ctx.header("Origin")).or(() -> Optional.ofNullable(ctx.header("Referer")))
        .orElse(null);
    if (origin == null) {
      return true; // not a browser's form: the CSRF token still decides
    }
    String host = ctx.header("Host");
    String self = scheme + "://" + host;
    return host != null && (origin.equals(self) || origin.startsWith(self + "/"));
  }

  private static byte[] resource(String name) {
    try (java.io.InputStream in = WebServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + name);
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + name + " from the jar", e);
    }
  }

  /** The port it listens on (the one chosen when the settings said 0). */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    events.ifPresent(ApiEvents::close);
    app.stop();
    sessions.close();
  }
}
