package health.direct.app.audit;

import health.direct.app.DirectSession;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.audit.Disclosure;
import health.direct.core.audit.DisclosureLog;
import health.direct.core.mailbox.Mailbox;
import health.direct.transport.fetch.FetchSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The seed's benefit: the sent folder read as an accounting of disclosures, optionally with what
 * other mail clients of the same account left in the server's Sent folder (each unprotected copy
 * given a DLP check), and the record of every message moved or deleted.
 *
 * <pre>{@code
 * List<Disclosure> d = new Audit(session, mailbox).disclosures(Optional.of(since), Optional.empty());
 * }</pre>
 */
public final class Audit {
  private final DirectSession session;
  private final Mailbox mailbox;

  public Audit(DirectSession session, Mailbox mailbox) {
    this.session = session;
    this.mailbox = mailbox;
  }

  /** Every disclosure between the two instants (either open). */
  public List<Disclosure> disclosures(Optional<Instant> since, Optional<Instant> until) {
    return new DisclosureLog(mailbox, session.outbox()).between(since, until);
  }

  /**
   * Adds the copies in the IMAP account's {@code folder} (left on the server) to the sent folder,
   * so that the audit covers what other clients sent.
   *
   * @throws DirectException {@link Problem#USAGE} when the account is not IMAP
   */
  public void importServerCopies(String folder) {
    FetchSettings f = session.fetchSettings();
    if (f.protocol() != FetchSettings.Protocol.IMAP) {
      throw new DirectException(Problem.USAGE, "--imap-folder needs an IMAP account (fetch.protocol = imap)");
    }
    FetchSettings sent = new FetchSettings(f.protocol(), f.host(), f.port(), f.tls(), f.user(), f.password(), folder,
        true, f.allowPlaintextLoopback(), f.timeout());
    session.fetcher().fetch(sent, DisclosureLog.importer(mailbox, session.dlp()));
  }

  /** Every recorded move and deletion in the mailbox, between the two instants (either open). */
  public List<Mailbox.HistoryEntry> history(Optional<Instant> since, Optional<Instant> until) {
    return mailbox.history().stream().filter(e -> since.map(s -> !e.at().isBefore(s)).orElse(true)
        && until.map(u -> !e.at().isAfter(u)).orElse(true)).toList();
  }
}
