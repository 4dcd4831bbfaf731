package health.direct.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.app.access.ApiTokens;
import health.direct.app.admin.Identities;
import health.direct.app.mail.MailFolders;
import health.direct.app.send.Reachability;
import health.direct.app.send.SendOnce;
import health.direct.app.status.SentMessages;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.compose.Draft;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.mime.MessageContents;
import health.direct.core.mime.MimeLimits;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outgoing.Submission;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.CandidateVerdict;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP API for EHRs, {@code /api/v1} (described in {@code openapi.json}): send with an
 * Idempotency-Key, list and read messages, each recipient's delivery status, "can I send to this
 * address?", and the event stream. Each handler parses, calls one use case and writes JSON; errors
 * go out as problem details. Nothing from a message is logged.
 */
final class Api {
  static final String CALLER = "direct.api.caller";
  static final int MAX_PAGE = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiAccess access;
  private final ApiTokens tokens;
  private final SendOnce once;
  private final MimeLimits limits;
  private final java.nio.file.Path work;

  Api(ApiAccess access, ApiTokens tokens, SendOnce once, MimeLimits limits) {
    this.access = access;
    this.tokens = tokens;
    this.once = once;
    this.limits = limits;
    this.work = access.session().home().work();
  }

  /** Lets a request in only with a valid bearer token (the description is public). */
  void authenticate(Context ctx) {
    if (ctx.path().equals("/api/v1/openapi.json")) {
      return;
    }
    Optional<String> caller = tokens.caller(ctx.header("Authorization"));
    if (caller.isEmpty()) {
      ApiProblems.answer(ctx, Problem.LOGIN_REFUSED, "this request carries no valid API token: send "
          + "'Authorization: Bearer TOKEN' with a token made by 'direct api-token create NAME'");
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute(CALLER, caller.get());
  }

  /** The event stream is sent only to a client that asks for one, as EventSource does; others are told how. */
  void eventsAsked(Context ctx) {
    String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
    if (!accept.contains("text/event-stream")) {
      ApiProblems.answer(ctx, Problem.USAGE, "the event stream is sent to a client that asks for it: send "
          + "'Accept: text/event-stream'");
      ctx.skipRemainingHandlers();
    }
  }

  void description(Context ctx) throws IOException {
    try (InputStream in = Api.class.getResourceAsStream("/health/direct/web/openapi.json")) {
      ctx.contentType("application/json").result(in.readAllBytes());
    }
  }

  void list(Context ctx) {
    Folder folder = folder(ctx.pathParam("folder"));
    int size = Math.min(MAX_PAGE, Math.max(1, intParam(ctx, "pageSize", 50)));
    MailFolders.Page p = new MailFolders(access.mailbox()).page(folder, true, intParam(ctx, "page", 1), size);
    ObjectNode n = JSON.createObjectNode();
    n.put("folder", folder.dirName()).put("page", p.page()).put("pageSize", size).put("pages", p.pages())
        .put("total", p.total());
    ArrayNode items = n.putArray("messages");
    p.messages().forEach(m -> items.add(summary(m)));
    json(ctx, 200, n);
  }

  void message(Context ctx) {
    Folder folder = folder(ctx.pathParam("folder"));
    StoredMessage m = new MailFolders(access.mailbox()).find(folder, number(ctx.pathParam("number")));
    ObjectNode n = summary(m);
    try (MessageContents c = new MailFolders(access.mailbox()).contents(m, limits)) {
      ObjectNode h = n.putObject("headers");
      c.headers().from().ifPresent(v -> h.put("from", v));
      c.headers().to().ifPresent(v -> h.put("to", v));
      c.headers().cc().ifPresent(v -> h.put("cc", v));
      c.headers().date().ifPresent(v -> h.put("date", v));
      c.headers().subject().ifPresent(v -> h.put("subject", v));
      StringBuilder text = new StringBuilder();
      ArrayNode parts = n.putArray("parts");
      ArrayNode attachments = n.putArray("attachments");
      for (MessageContents.Block b : c.blocks()) {
        if (b instanceof MessageContents.Text t) {
          text.append(text.length() == 0 ? "" : "\n\n").append(t.text());
          parts.addObject().put("kind", "text").put("text", t.text());
        } else if (b instanceof MessageContents.ForwardedStart f) {
          ObjectNode p = parts.addObject().put("kind", "forwarded-start");
          f.headers().from().ifPresent(v -> p.put("from", v));
          f.headers().subject().ifPresent(v -> p.put("subject", v));
        } else if (b instanceof MessageContents.ForwardedEnd) {
          parts.addObject().put("kind", "forwarded-end");
        } else if (b instanceof MessageContents.Attachment a) {
          ObjectNode att = attachments.addObject().put("number", a.number()).put("name", a.name())
              .put("contentType", a.type()).put("size", a.size())
              .put("href", "/api/v1/folders/" + folder.dirName() + "/messages/" + m.number() + "/attachments/"
                  + a.number());
          parts.addObject().put("kind", "attachment").put("number", att.get("number").asInt());
        }
      }
      n.put("text", text.toString());
    } catch (DirectException e) {
      // the verdict and the index's facts are still worth having; what could not be read is said
      n.put("unreadable", e.getMessage());
    } catch (IOException e) {
      n.put("unreadable", "the stored message cannot be read: " + e.getMessage());
    }
    json(ctx, 200, n);
  }

  void attachment(Context ctx) throws IOException {
    Pages.download(ctx, access.mailbox(), limits);
  }

  /** Sends a message given as JSON (attachments in base64) or as multipart/form-data. */
  void send(Context ctx) throws IOException {
    String caller = ctx.attribute(CALLER);
    Path uploads = SecureFiles.privateDirectory(work.resolve("upload-" + WebSessions.token()));
    try {
      Request r = ctx.isMultipartFormData() ? multipart(ctx, uploads) : json(ctx, uploads);
      Draft draft = new Draft(r.from.orElseGet(this::defaultSender), r.to, r.cc, r.subject, r.text, r.files);
      Optional<String> key = Optional.ofNullable(ctx.header("Idempotency-Key"));
      SendOnce.Outcome o = key.isPresent()
          ? once.send(caller, key.get(), r.fingerprint(), () -> submit(draft))
          : fresh(submit(draft));
      access.wake().run();
      ObjectNode n = o.submission().map(sub -> sent(sub.messageId(), Optional.of(r.subject), sub.entries()))
          .orElseGet(() -> sent(o.messageId()));
      o.submission().ifPresent(s -> {
        ArrayNode secured = n.putArray("securedFor");
        s.securedFor().forEach(a -> secured.add(a.toString()));
        ArrayNode plain = n.putArray("unsecuredTo");
        s.unsecuredTo().forEach(a -> plain.add(a.toString()));
        ArrayNode dropped = n.putArray("notSentTo");
        s.dropped().forEach(d -> dropped.addObject().put("address", d.address().toString()).put("reason", d.reason()));
      });
      n.put("replayed", o.replayed());
      if (o.replayed()) {
        ctx.header("Idempotent-Replayed", "true");
      }
      ctx.header("Location", "/api/v1/sent/" + o.messageId().replaceAll("^<|>$", ""));
      json(ctx, 202, n);
    } finally {
      SecureFiles.deleteTree(uploads);
    }
  }

  private static SendOnce.Outcome fresh(Submission s) {
    return new SendOnce.Outcome(s.messageId(), false, Optional.of(s));
  }

  private Submission submit(Draft d) {
    return access.session().send(access.mailbox()).submit(d);
  }

  void status(Context ctx) {
    json(ctx, 200, sent(ctx.pathParam("id")));
  }

  /** A sent message and each recipient's state, over every outbox entry with its Message-ID. */
  private ObjectNode sent(String id) {
    SentMessages sent = new SentMessages(access.session().outbox(), access.mailbox());
    SentMessages.Sent one = sent.find(id);
    String messageId = one.entry().messageId();
    List<OutboxEntry> entries = sent.list(true).stream().map(SentMessages.Sent::entry)
        .filter(e -> e.messageId().equals(messageId)).toList();
    return sent(messageId, one.subject(), entries);
  }

  private static ObjectNode sent(String messageId, Optional<String> subject, List<OutboxEntry> entries) {
    ObjectNode n = JSON.createObjectNode();
    n.put("messageId", messageId);
    subject.ifPresent(s -> n.put("subject", s));
    n.put("createdAt", entries.get(0).createdAt().toString());
    n.put("href", "/api/v1/sent/" + messageId.replaceAll("^<|>$", ""));
    ArrayNode rs = n.putArray("recipients");
    boolean settled = true;
    for (OutboxEntry entry : entries) {
      for (OutboxEntry.RecipientState r : entry.recipients()) {
        settled &= r.settled();
        ObjectNode o = rs.addObject().put("address", r.address().toString()).put("outcome", r.outcome())
            .put("delivery", r.state().label()).put("attempts", r.attempts())
            .put("settled", r.settled()).put("updatedAt", r.updatedAt().toString());
        Optional.ofNullable(r.lastResult()).filter(v -> !v.isEmpty()).ifPresent(v -> o.put("lastResult", v));
        ArrayNode t = o.putArray("timeline");
        r.timeline().forEach(e -> t.addObject().put("at", e.at().toString()).put("what", e.what()));
      }
    }
    n.put("settled", settled);
    return n;
  }

  void canSend(Context ctx) {
    String address = Optional.ofNullable(ctx.queryParam("address")).orElseThrow(() -> new DirectException(
        Problem.USAGE, "say which address: /api/v1/can-send?address=bob@clinic.example"));
    DirectAddress to = DirectAddress.parse(address);
    Optional<DirectAddress> from = Optional.ofNullable(ctx.queryParam("from")).map(DirectAddress::parse)
        .or(() -> new Identities(access.session()).defaultSender());
    Reachability.Answer a = new Reachability(access.session().discovery(), access.session().trustAnchors(),
        access.session().config().unsecured()).check(to, from);
    ObjectNode n = JSON.createObjectNode();
    n.put("address", to.toString());
    if (a instanceof Reachability.Secured s) {
      n.put("canSend", true).put("secured", true).put("reason", "it can be secured: " + s.accepted().certificates().size()
          + " " + s.accepted().level().label() + "-bound certificate(s) from " + s.accepted().source());
    } else if (a instanceof Reachability.UnsecuredAllowed u) {
      n.put("canSend", true).put("secured", false).put("reason", u.reason());
    } else if (a instanceof Reachability.Refused r) {
      n.put("canSend", false).put("secured", false).put("reason", r.reason());
    }
    ArrayNode asked = n.putArray("questions");
    for (Attempt at : a.discovery().attempts()) {
      asked.addObject().put("source", at.source()).put("query", at.query()).put("answer", at.outcome())
          .put("dnssec", at.dnssec().label());
    }
    ArrayNode certs = n.putArray("certificates");
    for (CandidateVerdict v : a.discovery().candidates()) {
      certs.addObject().put("sha256", v.fingerprint().hex()).put("kept", v.kept()).put("reason", v.reason())
          .put("source", v.found().source());
    }
    json(ctx, 200, n);
  }

  private DirectAddress defaultSender() {
    return new Identities(access.session()).defaultSender().orElseThrow(() -> new DirectException(Problem.USAGE,
        "this home has several identities and no account.address: say \"from\" in the request, or set account.address"));
  }

  /** A message as a list shows it. */
  static ObjectNode summary(StoredMessage m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("folder", m.folder().dirName()).put("number", m.number());
    put(n, "messageId", m.summary().messageId());
    put(n, "from", m.summary().from());
    put(n, "to", m.summary().to());
    put(n, "subject", m.summary().subject());
    m.summary().date().ifPresent(d -> n.put("date", d.toString()));
    n.put("storedAt", m.storedAt().toString()).put("size", m.size());
    ObjectNode v = n.putObject("verdict");
    v.put("result", Badges.label(m.summary().verdict()));
    put(v, "detail", m.summary().detail());
    n.put("href", "/api/v1/folders/" + m.folder().dirName() + "/messages/" + m.number());
    return n;
  }

  private static void put(ObjectNode n, String name, String value) {
    if (value != null) {
      n.put(name, value);
    }
  }

  /** Answers a problem thrown anywhere below /api as problem details. */
  static void problem(DirectException e, Context ctx) {
    ApiProblems.answer(ctx, e.problem(), e.getMessage());
  }

  private static void json(Context ctx, int status, JsonNode n) {
    ctx.status(status).contentType("application/json").result(n.toString());
  }

  /** What a send request asks for, however it came. */
  private record Request(Optional<DirectAddress> from, List<DirectAddress> to, List<DirectAddress> cc, String subject,
      String text, List<Path> files) {
    /** The request's content, independent of how it was written: recipients, words, and each file's name and hash. */
    String fingerprint() {
      List<byte[]> parts = new ArrayList<>();
      parts.add(from.map(DirectAddress::toString).orElse("").getBytes(StandardCharsets.UTF_8));
      parts.add(String.join(",", to.stream().map(DirectAddress::toString).toList()).getBytes(StandardCharsets.UTF_8));
      parts.add(String.join(",", cc.stream().map(DirectAddress::toString).toList()).getBytes(StandardCharsets.UTF_8));
      parts.add(subject.getBytes(StandardCharsets.UTF_8));
      parts.add(text.getBytes(StandardCharsets.UTF_8));
      for (Path f : files) {
        parts.add(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        parts.add(sha256(f));
      }
      return SendOnce.fingerprint(parts.toArray(new byte[0][]));
    }
  }

  private static Request json(Context ctx, Path uploads) throws IOException {
    JsonNode n;
    try (InputStream in = ctx.bodyInputStream()) {
      n = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the request is not JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
    if (n == null || !n.isObject()) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the request must be a JSON object with \"to\", \"subject\" "
          + "and \"text\"");
    }
    List<Path> files = new ArrayList<>();
    JsonNode atts = n.path("attachments");
    if (!atts.isMissingNode() && !atts.isArray()) {
      throw new DirectException(Problem.MALFORMED_INPUT, "\"attachments\" must be a list of {\"filename\", \"data\"}");
    }
    for (JsonNode a : atts) {
      int k = files.size() + 1;
      String name = text(a, "filename", "attachment " + k);
      byte[] data;
      try {
        data = Base64.getDecoder().decode(text(a, "data", "attachment " + k).replaceAll("\\s", ""));
      } catch (IllegalArgumentException e) {
        throw new DirectException(Problem.MALFORMED_INPUT, "attachment " + k + " (" + MessageContents.fileName(name, k)
            + "): \"data\" is not base64");
      }
      files.add(Uploads.write(uploads, k, name, () -> new java.io.ByteArrayInputStream(data)));
    }
    return new Request(optional(n, "from").map(DirectAddress::parse), addresses(n.path("to"), "to"),
        addresses(n.path("cc"), "cc"), optional(n, "subject").orElse(""), optional(n, "text").orElse(""), files);
  }

  private static Request multipart(Context ctx, Path uploads) throws IOException {
    List<Path> files = Uploads.save(ctx, uploads);
    return new Request(Optional.ofNullable(ctx.formParam("from")).filter(s -> !s.isBlank()).map(DirectAddress::parse),
        split(ctx.formParams("to")), split(ctx.formParams("cc")),
        Optional.ofNullable(ctx.formParam("subject")).orElse(""),
        Optional.ofNullable(ctx.formParam("text")).orElse("").replace("\r\n", "\n"), files);
  }

  private static List<DirectAddress> split(List<String> values) {
    return values.stream().flatMap(v -> Arrays.stream(v.split("[,;\\s]+"))).filter(a -> !a.isBlank())
        .map(DirectAddress::parse).toList();
  }

  private static List<DirectAddress> addresses(JsonNode n, String field) {
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (n.isTextual()) {
      return split(List.of(n.asText()));
    }
    if (!n.isArray()) {
      throw new DirectException(Problem.MALFORMED_INPUT, "\"" + field + "\" must be a list of addresses");
    }
    List<DirectAddress> out = new ArrayList<>();
    for (JsonNode a : n) {
      if (!a.isTextual()) {
        throw new DirectException(Problem.MALFORMED_INPUT, "\"" + field + "\" must be a list of addresses (strings)");
      }
      out.add(DirectAddress.parse(a.asText()));
    }
    return out;
  }

  private static Optional<String> optional(JsonNode n, String field) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new DirectException(Problem.MALFORMED_INPUT, "\"" + field + "\" must be a string");
    }
    return Optional.of(v.asText());
  }

  private static String text(JsonNode n, String field, String where) {
    return optional(n, field).orElseThrow(() -> new DirectException(Problem.MALFORMED_INPUT, where + " has no \""
        + field + "\""));
  }

  private static byte[] sha256(Path f) {
    try (InputStream in = Files.newInputStream(f)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int r; (r = in.read(buf)) > 0; ) {
        d.update(buf, 0, r);
      }
      return d.digest();
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot read the uploaded file back: " + e.getMessage(), e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static Folder folder(String name) {
    return Pages.folderNamed(name);
  }

  private static long number(String text) {
    return Pages.numberOf(text);
  }

  private static int intParam(Context ctx, String name, int dflt) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new DirectException(Problem.USAGE, "'" + name + "' must be a whole number, not '" + v + "'");
    }
  }
}
