package health.direct.sandbox;

import health.direct.core.address.DirectAddress;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.incoming.OpenResult;
import health.direct.core.incoming.Receiver;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.compose.Draft;
import health.direct.core.compose.MessageComposer;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.MessageSink;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.CandidateVerdict;
import health.direct.core.resolve.Discovery;
import health.direct.core.resolve.RecipientCertificates;
import health.direct.core.smime.SigningIdentity;
import health.direct.transport.fetch.FetchReport;
import health.direct.transport.smtp.MxPlan;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's conversation, arc by arc, narrated with each arc's duration: the physician's client
 * discovers and validates the cardiologist's certificate, loads its key and anchors, resolves the
 * clinic's MX, seals a referral with a C-CDA attachment and delivers it; the cardiologist's client
 * fetches it over IMAP, loads his key and anchors, verifies and opens it, and his client's
 * processed and dispatched notifications travel back to the physician's, which shows the message
 * as dispatched. The result is a table and whether every arc succeeded.
 */
public final class Conversation {
  /** One arc's outcome. */
  public record Arc(int number, String name, boolean ok, String summary, Duration time) {}

  /** Thrown inside an arc to stop the conversation with the reason. */
  static final class ArcFailed extends RuntimeException {
    ArcFailed(String message) {
      super(message);
    }
  }

  @FunctionalInterface
  private interface Step {
    String run() throws Exception;
  }

  private final Sandbox sandbox;
  private final PrintWriter out;
  private final List<Arc> arcs = new ArrayList<>();

  public Conversation(Sandbox sandbox, PrintWriter out) {
    this.sandbox = sandbox;
    this.out = out;
  }

  /** Runs every arc in order, stopping at the first that fails. */
  public List<Arc> run() {
    Sandbox.User sender = sandbox.physician();
    Sandbox.User recipient = sandbox.specialist();
    DirectAddress to = recipient.address();
    Map<String, Object> state = new LinkedHashMap<>();
    boolean ok = arc(1, "discover and validate the recipient's certificate", () -> {
      Discovery d = sender.session().discovery().discover(to, sender.session().trustAnchors().forLocal(sender.address()));
      for (Attempt a : d.attempts()) {
        detail(a.toString());
      }
      if (!(d.outcome() instanceof RecipientCertificates.Accepted acc)) {
        throw new ArcFailed(((RecipientCertificates.Rejected) d.outcome()).reason());
      }
      for (CandidateVerdict v : d.candidates()) {
        detail((v.kept() ? "kept " : "rejected ") + v.fingerprint().colonForm());
        detail("  " + v.reason());
      }
      String dnssec = d.candidates().get(0).found().dnssec().label();
      return acc.certificates().size() + " " + acc.level().label() + "-bound certificate, DNSSEC " + dnssec;
    });
    ok = ok && arc(2, "load the sender's key and trust anchors", () -> {
      SigningIdentity id = sender.session().identities().signingIdentity(sender.address())
          .orElseThrow(() -> new ArcFailed("no identity for " + sender.address()));
      int anchors = sender.session().trustAnchors().forLocal(sender.address()).size();
      detail("key for " + sender.address() + " decrypted from its PKCS#12 (AES-256); certificate "
          + CertificateFingerprint.of(id.chain().get(0)).colonForm().substring(0, 23) + "...");
      return anchors + " trust anchor(s), signing key ready";
    });
    ok = ok && arc(3, "resolve the recipient's mail server (MX)", () -> {
      MxPlan plan = sender.session().mxResolver().resolve(to.domain());
      if (!(plan instanceof MxPlan.Hosts h)) {
        throw new ArcFailed(plan.toString());
      }
      detail("MX " + to.domain() + " -> " + String.join(", ", h.hosts()) + " (DNSSEC " + h.dnssec().label() + ")");
      return String.join(", ", h.hosts());
    });
    ok = ok && arc(4, "seal (sign, then encrypt) and deliver by SMTP", () -> {
      Path ccd = SecureFiles.privateTempFile(sandbox.dir, "referral");
      Path attachment = ccd.resolveSibling("referral-note-ccda.xml");
      Files.writeString(attachment, SampleDocuments.referralNote(sender.name(), sender.address().toString(),
          recipient.name(), LocalDate.now(ZoneOffset.UTC)));
      Path plain = SecureFiles.privateTempFile(sandbox.dir, "plain");
      try (Mailbox box = sender.session().mailbox()) {
        Draft draft = new Draft(sender.address(), List.of(to), List.of(), "Referral: chest pain, please assess",
            "Dear " + recipient.name() + ",\r\n\r\nPlease see the attached referral note.\r\n\r\n" + sender.name()
                + "\r\n", List.of(attachment));
        try (OutputStream o = Files.newOutputStream(plain)) {
          new MessageComposer(sender.session().clock()).compose(draft, o);
        }
        MessageSender.Queued q = sender.session().sender(box).queue(plain);
        detail("sealed " + q.seal().messageId() + ": signed SHA-256, " + q.seal().encryption() + ", "
            + q.seal().keyTransport() + "; outer Subject hides the real one");
        detail("queued in the outbox as " + q.entry().id() + " (on disk before any network traffic)");
        sender.session().deliver(box).deliverDue(f -> detail("FAILED: " + f.reason()));
        OutboxEntry.RecipientState r = sender.session().outbox().find(q.entry().id()).orElseThrow().recipients().get(0);
        detail(r.address() + ": " + r.state().label() + " (" + r.lastResult() + ")");
        if (r.state() != OutboxEntry.State.DELIVERED) {
          throw new ArcFailed("not delivered: " + r.lastResult());
        }
        state.put("messageId", q.seal().messageId());
        return "delivered to " + r.lastResult().split(":")[0];
      } finally {
        SecureFiles.deleteQuietly(plain);
        SecureFiles.deleteQuietly(attachment);
        SecureFiles.deleteQuietly(ccd);
      }
    });
    Path spool = sandbox.dir.resolve("spool");
    ok = ok && arc(5, "fetch over IMAP (implicit TLS)", () -> {
      List<String[]> fetched = new ArrayList<>();
      SecureFiles.privateDirectory(spool);
      try (Mailbox box = recipient.session().mailbox()) {
        FetchReport r = recipient.session().fetcher().fetch(recipient.session().fetchSettings(), new MessageSink() {
          @Override
          public boolean contains(String source) {
            return box.contains(source);
          }

          @Override
          public StoredMessage accept(String source, Path raw) {
            Path copy = spool.resolve("message-" + fetched.size() + ".eml");
            SecureFiles.writeAtomically(copy, o -> Files.copy(raw, o));
            fetched.add(new String[] {source, copy.toString()});
            return new StoredMessage(0, Folder.INBOX, 0, copy, Optional.empty(), source,
                HeaderSummary.of(copy, "fetched", ""), java.time.Instant.now(), 0);
          }
        });
        if (fetched.isEmpty()) {
          throw new ArcFailed("no message waiting on the server");
        }
        detail(recipient.session().fetchSettings().host() + ": " + r.stored().size() + " new message(s), TLS "
            + (r.encrypted() ? "on, certificate and host name checked" : "OFF"));
      }
      state.put("fetched", fetched);
      return fetched.size() + " message(s) fetched";
    });
    ok = ok && arc(6, "load the recipient's key and trust anchors", () -> {
      int keys = recipient.session().identities().decryptionKeys().size();
      int anchors = recipient.session().trustAnchors().forLocal(to).size();
      return keys + " decryption key(s), " + anchors + " trust anchor(s)";
    });
    ok = ok && arc(7, "decrypt, verify signature, path and revocation, open", () -> {
      @SuppressWarnings("unchecked")
      List<String[]> fetched = (List<String[]>) state.get("fetched");
      try (Mailbox box = recipient.session().mailbox()) {
        Receiver receiver = recipient.session().receive(box).receiver(this::detail);
        String summary = "";
        for (String[] f : fetched) {
          Receiver.Received r = receiver.receive(f[0], Path.of(f[1]));
          OpenResult o = r.result();
          if (!(o instanceof OpenResult.Trusted t)) {
            throw new ArcFailed(o.verdict().label() + ": " + o.reason());
          }
          detail("decrypted with " + t.protection().encryption() + "; signature " + t.signature().digest() + " intact");
          detail("signer " + t.signature().signer().shown() + ", bound to From, chains to " + t.anchor().subject()
              + ", not revoked (CRL)");
          detail("stored in the inbox as message " + r.stored().number() + ": \"" + r.stored().summary().subject() + "\"");
          summary = "trusted; in the inbox as message " + r.stored().number();
        }
        return summary;
      } finally {
        SecureFiles.deleteTree(spool);
      }
    });
    ok = ok && arc(8, "delivery notifications travel back (processed, dispatched)", () -> {
      try (Mailbox box = recipient.session().mailbox()) {
        var round = recipient.session().deliver(box).deliverDue(f -> detail("FAILED: " + f.reason()));
        detail(recipient.name() + "'s client sent " + round.delivered() + " notification(s), sealed for "
            + sender.address() + " (found in the hospital's LDAP directory)");
      }
      try (Mailbox box = sender.session().mailbox()) {
        FetchReport r = sender.session().receive(box).fetch(this::detail);
        detail(sender.name() + "'s client fetched " + r.stored().size() + " notification(s) into its receipts folder");
      }
      String messageId = (String) state.get("messageId");
      OutboxEntry e = sender.session().outbox().findByMessageId(messageId).orElseThrow();
      OutboxEntry.RecipientState r = e.recipients().get(0);
      r.timeline().forEach(ev -> detail(ev.toString()));
      if (!r.outcome().equals("dispatched")) {
        throw new ArcFailed("the sender sees '" + r.outcome() + "' for " + r.address() + ", not dispatched");
      }
      return r.address() + ": " + r.outcome();
    });
    return List.copyOf(arcs);
  }

  private boolean arc(int n, String name, Step step) {
    out.printf("%n[%d] %s%n", n, name);
    out.flush();
    long t0 = System.nanoTime();
    try {
      String summary = step.run();
      Duration d = Duration.ofNanos(System.nanoTime() - t0);
      out.printf("    -> %s (%d ms)%n", summary, d.toMillis());
      arcs.add(new Arc(n, name, true, summary, d));
      return true;
    } catch (Exception e) {
      Duration d = Duration.ofNanos(System.nanoTime() - t0);
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      out.printf("    -> FAILED: %s (%d ms)%n", why, d.toMillis());
      arcs.add(new Arc(n, name, false, why, d));
      return false;
    } finally {
      out.flush();
    }
  }

  private void detail(String line) {
    out.println("    " + line);
  }
}
