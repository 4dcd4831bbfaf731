package health.direct.web;

import health.direct.app.admin.Identities;
import health.direct.app.audit.Audit;
import health.direct.app.contacts.Contacts;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.audit.Disclosure;
import health.direct.core.audit.DisclosureCsv;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.health.HealthCheck;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.resolve.Discovery;
import health.direct.core.store.Contact;
import health.direct.core.store.HomeConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The contacts with the seed's pre-condition as a flow (look an address up, read its fingerprint
 * out on the phone, mark it verified, send a test message), the accounting of disclosures (the
 * sent folder's record, risk 6's benefit) and the health page (risk 5's alerts).
 */
final class RecordPages {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final Pages.Renderer renderer;

  RecordPages(Pages.Renderer renderer) {
    this.renderer = renderer;
  }

  void contacts(Context ctx) {
    WebSession s = Pages.session(ctx);
    List<Views.ContactRow> rows = new Contacts(s.session).list().stream().map(RecordPages::row).toList();
    ctx.html(renderer.render("contacts.jte", new Views.ContactsPage(Pages.account(s), s.csrf, Pages.tabs(null), rows,
        Optional.ofNullable(ctx.queryParam("done")).filter(d -> !d.isBlank()))));
  }

  /** What an address publishes, each certificate judged, with the fingerprint to read out before trusting it. */
  void discover(Context ctx) {
    WebSession s = Pages.session(ctx);
    DirectAddress a = DirectAddress.parse(Optional.ofNullable(ctx.queryParam("address")).orElse("").trim());
    Discovery d = new Contacts(s.session).discover(a, new Identities(s.session).defaultSender());
    List<Views.Question> asked = d.attempts().stream()
        .map(at -> new Views.Question(at.source(), at.query(), at.outcome(), at.dnssec().label())).toList();
    List<Views.Candidate> found = d.candidates().stream()
        .map(v -> new Views.Candidate(v.fingerprint().colonForm(), v.fingerprint().hex(), v.kept(), v.reason(),
            v.found().source(), v.found().certificate().getSubjectX500Principal().getName(),
            v.found().certificate().getNotAfter().toInstant().toString().substring(0, 10)))
        .toList();
    Optional<Contact> known = new Contacts(s.session).find(a);
    String state = known.map(c -> c.verifiedAt().map(t -> "verified " + local(t)).orElse("in the address book, not "
        + "verified")).orElse("not in the address book");
    ctx.html(renderer.render("discover.jte", new Views.DiscoverPage(Pages.account(s), s.csrf, Pages.tabs(null),
        a.toString(), d.accepted(), asked, found, state)));
  }

  /** Pins the certificate whose fingerprint the person confirmed by phone or in person. */
  void verify(Context ctx) {
    WebSession s = Pages.session(ctx);
    DirectAddress a = DirectAddress.parse(Optional.ofNullable(ctx.formParam("address")).orElse(""));
    String fingerprint = Optional.ofNullable(ctx.formParam("fingerprint")).orElse("");
    new Contacts(s.session).verify(a, List.of(fingerprint), new Identities(s.session).defaultSender());
    ctx.redirect("/contacts?done=" + java.net.URLEncoder.encode(a + " is verified: messages to it are sealed for the "
        + "confirmed certificate only", java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A test message with no patient data, to prove the whole path to a verified contact. */
  void sendTest(Context ctx) {
    WebSession s = Pages.session(ctx);
    DirectAddress to = DirectAddress.parse(Optional.ofNullable(ctx.formParam("address")).orElse(""));
    DirectAddress from = new Identities(s.session).defaultSender().orElseThrow(() -> new DirectException(
        Problem.USAGE, "set account.address in this home's settings to say who sends"));
    MessageSender.Queued q = new Contacts(s.session).sendTest(from, to, s.mailbox);
    s.session.deliver(s.mailbox).deliverDue(f -> { });
    ctx.redirect("/status/" + q.entry().id());
  }

  void audit(Context ctx) {
    WebSession s = Pages.session(ctx);
    Optional<Instant> since = day(ctx.queryParam("since"), false);
    Optional<Instant> until = day(ctx.queryParam("until"), true);
    List<Disclosure> all = new Audit(s.session, s.mailbox).disclosures(since, until);
    ZoneId zone = ZoneId.systemDefault();
    List<Views.DisclosureRow> rows = all.stream().map(d -> new Views.DisclosureRow(WHEN.format(d.when().atZone(zone)),
        orDash(d.from()), String.join(", ", d.to()), d.secured(), orDash(d.subject()),
        String.join(", ", d.attachments().stream().map(x -> x.name() + " (" + x.size() + " bytes)").toList()),
        String.join("; ", d.outcomes()))).toList();
    String query = "since=" + Optional.ofNullable(ctx.queryParam("since")).orElse("") + "&until="
        + Optional.ofNullable(ctx.queryParam("until")).orElse("");
    ctx.html(renderer.render("audit.jte", new Views.AuditPage(Pages.account(s), s.csrf, Pages.tabs(null),
        Optional.ofNullable(ctx.queryParam("since")).orElse(""), Optional.ofNullable(ctx.queryParam("until")).orElse(""),
        rows, query)));
  }

  void auditCsv(Context ctx) {
    WebSession s = Pages.session(ctx);
    List<Disclosure> all = new Audit(s.session, s.mailbox).disclosures(day(ctx.queryParam("since"), false),
        day(ctx.queryParam("until"), true));
    ctx.header("Content-Disposition", "attachment; filename=\"disclosures.csv\"");
    ctx.contentType("text/csv; charset=utf-8").result(DisclosureCsv.of(all));
  }

  void health(Context ctx) {
    WebSession s = Pages.session(ctx);
    HomeConfig.HealthConfig h = s.session.config().health();
    HealthCheck.Report r = new HealthCheck(s.session.clock(), h.maxQuiet(), h.stuckAfter(), h.window())
        .check(s.mailbox, s.session.outbox());
    ctx.html(renderer.render("health.jte", new Views.HealthPage(Pages.account(s), s.csrf, Pages.tabs(null),
        r.healthy(), r.alerts(), r.notes())));
  }

  private static Views.ContactRow row(Contact c) {
    return new Views.ContactRow(c.address().toString(), c.verifiedAt().map(t -> "verified " + local(t))
        .orElse("not verified"), c.verifiedAt().isPresent(), c.source(), local(c.addedAt()),
        String.join(" ", c.certificates().stream().map(x -> CertificateFingerprint.of(x).colonForm()).toList()));
  }

  private static Optional<Instant> day(String text, boolean endOfDay) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      LocalDate d = LocalDate.parse(text.trim());
      return Optional.of((endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneId.systemDefault()).toInstant());
    } catch (DateTimeParseException e) {
      throw new DirectException(Problem.USAGE, "'" + text + "' is not a date: write it as 2026-12-01");
    }
  }

  private static String local(Instant t) {
    return WHEN.format(t.atZone(ZoneId.systemDefault()));
  }

  private static String orDash(String v) {
    return v == null || v.isBlank() ? "-" : v;
  }
}
