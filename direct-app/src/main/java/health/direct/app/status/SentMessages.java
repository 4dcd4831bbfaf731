package health.direct.app.status;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outgoing.MessageSender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the user sent and what became of it: each outbox entry with the subject from its sent copy.
 * The notifications and notices the client sent by itself are left out unless asked for; they
 * are still in the sent folder for the audit.
 *
 * <pre>{@code
 * for (SentMessages.Sent s : new SentMessages(outbox, mailbox).list(false)) {
 *   System.out.println(s.subject().orElse("") + ": " + s.entry().recipients());
 * }
 * }</pre>
 */
public final class SentMessages {
  private final Outbox outbox;
  private final Mailbox mailbox;

  /** One sent message: its outbox entry, its subject (when its sent copy is kept) and whether the client sent it by itself. */
  public record Sent(OutboxEntry entry, Optional<String> subject, boolean automatic) {}

  public SentMessages(Outbox outbox, Mailbox mailbox) {
    this.outbox = outbox;
    this.mailbox = mailbox;
  }

  /** Every sent message, oldest first; with {@code includeAutomatic} the client's own notifications too. */
  public List<Sent> list(boolean includeAutomatic) {
    Map<String, StoredMessage> copies = sentCopies();
    return outbox.list().stream().map(e -> sent(e, copies)).filter(s -> includeAutomatic || !s.automatic()).toList();
  }

  /**
   * The one message whose Message-ID (with or without angle brackets) or outbox id is {@code id}
   * or starts with it.
   *
   * @throws DirectException {@link Problem#NOT_FOUND} when none matches, {@link Problem#USAGE}
   *     when several do (they are named)
   */
  public Sent find(String id) {
    String bare = id.replaceAll("^<|>$", "");
    List<Sent> all = list(true);
    List<Sent> exact = all.stream().filter(s -> s.entry().id().equals(id)
        || s.entry().messageId().equals("<" + bare + ">")).toList();
    if (exact.size() == 1) {
      return exact.get(0);
    }
    List<Sent> matches = all.stream().filter(s -> s.entry().id().startsWith(id)
        || s.entry().messageId().startsWith("<" + bare)).toList();
    if (matches.isEmpty()) {
      throw new DirectException(Problem.NOT_FOUND, "no sent message " + id + " in the outbox ('direct status' lists them)");
    }
    if (matches.size() > 1) {
      throw new DirectException(Problem.USAGE, "'" + id + "' matches " + matches.size() + " sent messages ("
          + String.join(", ", matches.stream().limit(5).map(s -> s.entry().messageId()).toList())
          + (matches.size() > 5 ? ", ..." : "") + "): give more of the id");
    }
    return matches.get(0);
  }

  private Map<String, StoredMessage> sentCopies() {
    Map<String, StoredMessage> byId = new HashMap<>();
    for (StoredMessage m : mailbox.list(Folder.SENT)) {
      if (m.summary().messageId() != null) {
        byId.putIfAbsent(m.summary().messageId().trim(), m);
      }
    }
    return byId;
  }

  private static Sent sent(OutboxEntry e, Map<String, StoredMessage> copies) {
    Optional<StoredMessage> copy = Optional.ofNullable(copies.get(e.messageId()));
    boolean automatic = copy.map(m -> MessageSender.AUTOMATIC.equals(m.summary().verdict()))
        .orElse(e.expectation() == OutboxEntry.Expectation.NONE); // a courtesy notice keeps no copy
    return new Sent(e, copy.map(m -> m.summary().subject()).filter(s -> s != null && !s.isBlank()), automatic);
  }
}
