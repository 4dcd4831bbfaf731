package health.direct.app.mail;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.compose.Draft;
import health.direct.core.compose.Replies;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.outgoing.MessageSender;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The user's folders, and the rules for what may leave them. Decided here:
 * <ul>
 *   <li>the sent folder is the accounting of disclosures (the seed's benefit): nothing in it is
 *       moved or deleted, and nothing is moved into it;
 *   <li>a quarantined message failed security: it can be deleted, but never moved beside trusted
 *       mail, answered or forwarded (its sender is not verified; the pre-condition is to check a
 *       contact out of band, not to reply to whoever claims to be one);
 *   <li>every move and deletion is recorded in the mailbox history (headers only), which {@code
 *       direct audit} shows: nothing is destroyed without a record.
 * </ul>
 *
 * <pre>{@code
 * MailFolders folders = new MailFolders(mailbox);
 * StoredMessage m = folders.find(Folder.INBOX, 3);
 * folders.move(Folder.INBOX, 3, Folder.ARCHIVE);
 * }</pre>
 */
public final class MailFolders {
  private static final Set<Folder> MOVABLE = Set.of(Folder.INBOX, Folder.ARCHIVE, Folder.RECEIPTS);
  private static final Set<Folder> TARGETS = Set.of(Folder.INBOX, Folder.ARCHIVE);

  private final Mailbox mailbox;

  public MailFolders(Mailbox mailbox) {
    this.mailbox = mailbox;
  }

  /** The messages of {@code folder}; the sent folder leaves out the client's own notifications unless asked. */
  public List<StoredMessage> list(Folder folder, boolean includeAutomatic) {
    return mailbox.list(folder).stream()
        .filter(m -> includeAutomatic || !MessageSender.AUTOMATIC.equals(m.summary().verdict())).toList();
  }

  /** One page of a folder, newest first: its messages, and how many there are in all. */
  public record Page(List<StoredMessage> messages, int page, int pages, long total) {}

  /**
   * Page {@code page} (from 1; past the end it is empty) of {@code folder}, {@code size} to a page,
   * newest first, with {@link #list}'s rule for the client's own notifications.
   */
  public Page page(Folder folder, boolean includeAutomatic, int page, int size) {
    java.util.Optional<String> excluded = includeAutomatic ? java.util.Optional.empty()
        : java.util.Optional.of(MessageSender.AUTOMATIC);
    long total = mailbox.count(folder, excluded);
    int pages = (int) Math.max(1, (total + size - 1) / size);
    int p = Math.max(1, page);
    return new Page(mailbox.newestFirst(folder, excluded, (p - 1) * size, size), p, pages, total);
  }

  /** Message {@code number} of {@code folder}. */
  public StoredMessage find(Folder folder, long number) {
    return mailbox.get(folder, number).orElseThrow(() -> new DirectException(Problem.NOT_FOUND, "no message " + number
        + " in the " + folder.dirName() + " folder ('direct " + folder.dirName() + "' lists it)"));
  }

  /** Moves message {@code number} of {@code from} to {@code to}; returns it with its new number. */
  public StoredMessage move(Folder from, long number, Folder to) {
    if (from == Folder.SENT || to == Folder.SENT) {
      throw new DirectException(Problem.USAGE, "the sent folder is the record of what was disclosed to whom: "
          + "nothing is moved into or out of it");
    }
    if (from == Folder.QUARANTINE) {
      throw new DirectException(Problem.USAGE, "a quarantined message failed security and is never filed beside "
          + "trusted mail; read it with 'direct read quarantine " + number + " --raw', or delete it");
    }
    if (!MOVABLE.contains(from) || !TARGETS.contains(to)) {
      throw new DirectException(Problem.USAGE, "messages move between the inbox and the archive (receipts to "
          + "the archive); not from the " + from.dirName() + " to the " + to.dirName() + " folder");
    }
    StoredMessage m = find(from, number);
    return mailbox.move(m, to, "moved by the user");
  }

  /** Deletes message {@code number} of {@code folder}, recording its headers in the history first. */
  public StoredMessage delete(Folder folder, long number) {
    if (folder == Folder.SENT) {
      throw new DirectException(Problem.USAGE, "the sent folder is the record of what was disclosed to whom: "
          + "its messages are kept (HIPAA's accounting of disclosures); 'direct audit' reports them");
    }
    StoredMessage m = find(folder, number);
    mailbox.delete(m, "deleted by the user");
    return m;
  }

  /** Every match of {@code q}, oldest first. */
  /**
   * What message {@code number} of {@code folder} holds, for a person to read: its headers, text,
   * forwarded messages and attachments, refused beyond {@code limits} (the home's mime.* settings).
   * The caller closes it.
   */
  public health.direct.core.mime.MessageContents contents(StoredMessage m, health.direct.core.mime.MimeLimits limits) {
    return health.direct.core.mime.MessageContents.read(m.file(), limits);
  }

  public List<StoredMessage> search(Mailbox.Query q) {
    return mailbox.search(q);
  }

  /** Every recorded move and deletion, oldest first. */
  public List<Mailbox.HistoryEntry> history() {
    return mailbox.history();
  }

  /**
   * A reply to message {@code number} of {@code folder}: to its sender, with {@code all} to its
   * other recipients too, in its thread.
   */
  public Draft reply(Folder folder, long number, Supplier<DirectAddress> me, boolean all, Supplier<String> text) {
    // who sends and the text (an editor, say) are asked for only once the message is known to be answerable
    StoredMessage m = answerable(folder, number, "answered");
    return Replies.reply(m.file(), me.get(), all, text.get());
  }

  /** Message {@code number} of {@code folder}, passed on whole to {@code to}. */
  public Draft forward(Folder folder, long number, Supplier<DirectAddress> me, List<DirectAddress> to,
      List<DirectAddress> cc, Supplier<String> text) {
    StoredMessage m = answerable(folder, number, "forwarded");
    return Replies.forward(m.file(), me.get(), to, cc, text.get());
  }

  private StoredMessage answerable(Folder folder, long number, String what) {
    if (folder == Folder.QUARANTINE) {
      throw new DirectException(Problem.UNTRUSTED, "message " + number + " of the quarantine failed security: its "
          + "sender is not verified, so it is not " + what + "; check with the sender by another channel first");
    }
    return find(folder, number);
  }
}
