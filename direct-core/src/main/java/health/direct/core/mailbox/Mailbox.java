package health.direct.core.mailbox;

import health.direct.core.io.SecureFiles;
import health.direct.core.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The local mailbox: one Maildir per {@link Folder} under {@code mail/} (so other mail tools can
 * read it) and an SQLite index for listing and search. Storing is idempotent per source (an IMAP
 * UID with its UIDVALIDITY, a POP3 UIDL, an outbox id): the file name derives from the source, the
 * file is fsync'd in {@code tmp/} and renamed into {@code new/} before the index row is committed,
 * so a crash at any point neither loses the message nor stores it twice. One mailbox may be used
 * from several threads (each use of the index is serialised), and several processes may store the
 * same message at once: each writes its own file in {@code tmp/}, and one index row wins.
 *
 * <pre>{@code
 * try (Mailbox box = Mailbox.open(home.mail(), clock)) {
 *   if (!box.contains(source)) box.store(Folder.INBOX, source, opened, Optional.of(raw), summary);
 * }
 * }</pre>
 */
public final class Mailbox implements AutoCloseable {
  private final Path root;
  private final Clock clock;
  private final Connection db;

  private Mailbox(Path root, Clock clock, Connection db) {
    this.root = root;
    this.clock = clock;
    this.db = db;
  }

  public static Mailbox open(Path root, Clock clock) {
    SecureFiles.privateDirectory(root);
    for (Folder f : Folder.values()) {
      for (String sub : List.of("tmp", "new", "cur")) {
        SecureFiles.privateDirectory(root.resolve(f.dirName()).resolve(sub));
      }
    }
    SecureFiles.privateDirectory(root.resolve("originals"));
    // what a killed process was writing: its scratch copies anywhere here, and (Maildir's rule)
    // whatever has sat in a tmp/ for 36 hours
    for (Folder f : Folder.values()) {
      SecureFiles.sweepLeftovers(root.resolve(f.dirName()).resolve("tmp"), Optional.of(java.time.Duration.ofHours(36)));
      SecureFiles.sweepLeftovers(root.resolve(f.dirName()).resolve("new"), Optional.empty());
    }
    SecureFiles.sweepLeftovers(root.resolve("originals"), Optional.empty());
    try {
      // created owner-only before SQLite opens it: SQLite gives its -wal and -shm files the same mode
      SecureFiles.privateFile(root.resolve("index.db"));
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("index.db"));
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 10000");
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = FULL");
        s.execute("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, folder TEXT NOT NULL,"
            + " name TEXT NOT NULL, original TEXT, source TEXT NOT NULL UNIQUE, message_id TEXT, sender TEXT,"
            + " recipients TEXT, subject TEXT, date TEXT, verdict TEXT, detail TEXT, stored_at TEXT NOT NULL,"
            + " size INTEGER NOT NULL, number INTEGER)");
        s.execute("CREATE INDEX IF NOT EXISTS messages_folder ON messages(folder, id)");
        s.execute("CREATE INDEX IF NOT EXISTS messages_message_id ON messages(message_id)");
        s.execute("CREATE TABLE IF NOT EXISTS discarded (source TEXT PRIMARY KEY, sender TEXT, reason TEXT,"
            + " discarded_at TEXT NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS duplicates (source TEXT PRIMARY KEY, duplicate_of INTEGER NOT NULL,"
            + " received_at TEXT NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS courtesy (sender TEXT PRIMARY KEY, last_at TEXT NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS folder_numbers (folder TEXT PRIMARY KEY, last INTEGER NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
            + " action TEXT NOT NULL, folder TEXT NOT NULL, number INTEGER, to_folder TEXT, message_id TEXT,"
            + " sender TEXT, recipients TEXT, date TEXT, reason TEXT)");
        // what is still to be done for a stored message (its answer, its record), written with the row
        s.execute("CREATE TABLE IF NOT EXISTS owed (id INTEGER PRIMARY KEY, what TEXT NOT NULL, since TEXT NOT NULL)");
        numberMessagesPerFolder(c, s);
      }
      SecureFiles.ownerOnlyIfPresent(root.resolve("index.db-wal"));
      SecureFiles.ownerOnlyIfPresent(root.resolve("index.db-shm"));
      return new Mailbox(root, clock, c);
    } catch (SQLException e) {
      throw new StoreException("cannot open the mailbox index in " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Gives every message a number in its folder (inbox 1..n, sent 1..n), kept when others are
   * moved or deleted and never given again, so "inbox 3" names one message for good. Indexes made
   * before numbers existed are numbered in the order they were stored.
   */
  private static void numberMessagesPerFolder(Connection c, Statement s) throws SQLException {
    if (hasNumbers(s)) {
      s.execute("CREATE UNIQUE INDEX IF NOT EXISTS messages_folder_number ON messages(folder, number)");
      return;
    }
    // one process migrates; another opening the index at the same moment waits, then finds it done
    s.execute("BEGIN IMMEDIATE");
    try {
      if (!hasNumbers(s)) {
        s.execute("ALTER TABLE messages ADD COLUMN number INTEGER");
        s.execute("UPDATE messages SET number = (SELECT COUNT(*) FROM messages m2 WHERE m2.folder = messages.folder"
            + " AND m2.id <= messages.id)");
        s.execute("INSERT OR REPLACE INTO folder_numbers (folder, last) SELECT folder, MAX(number) FROM messages"
            + " GROUP BY folder");
      }
      s.execute("CREATE UNIQUE INDEX IF NOT EXISTS messages_folder_number ON messages(folder, number)");
      s.execute("COMMIT");
    } catch (SQLException e) {
      s.execute("ROLLBACK");
      throw e;
    }
  }

  private static boolean hasNumbers(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA table_info(messages)")) {
      while (rs.next()) {
        if ("number".equals(rs.getString("name"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The next number in {@code folder}; call inside the transaction that uses it. */
  private long nextNumber(Folder folder) throws SQLException {
    try (PreparedStatement up = db.prepareStatement("INSERT INTO folder_numbers (folder, last) VALUES (?, 1)"
        + " ON CONFLICT(folder) DO UPDATE SET last = last + 1")) {
      up.setString(1, folder.name());
      up.executeUpdate();
    }
    try (PreparedStatement q = db.prepareStatement("SELECT last FROM folder_numbers WHERE folder = ?")) {
      q.setString(1, folder.name());
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Runs {@code work} as one SQLite write transaction (taken at once, so two processes queue up). */
  private synchronized <T> T inTransaction(SqlWork<T> work) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
    }
    boolean done = false;
    try {
      T t = work.run();
      try (Statement st = db.createStatement()) {
        st.execute("COMMIT");
      }
      done = true;
      return t;
    } finally {
      if (!done) {
        try (Statement st = db.createStatement()) {
          st.execute("ROLLBACK");
        } catch (SQLException ignored) {
          // the original failure is what matters
        }
      }
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * True when a message from {@code source} is already stored, was discarded or was a second copy
   * of a stored one (so a re-fetch skips it).
   */
  public synchronized boolean contains(String source) {
    try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM messages WHERE source = ?"
        + " UNION SELECT 1 FROM discarded WHERE source = ? UNION SELECT 1 FROM duplicates WHERE source = ?")) {
      ps.setString(1, source);
      ps.setString(2, source);
      ps.setString(3, source);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the mailbox index: " + e.getMessage(), e);
    }
  }

  /**
   * Stores a copy of {@code content} in {@code folder}, and {@code original} (the message as it
   * arrived, or as it left, still encrypted) beside it. {@code original} must be a file the caller
   * wrote and will not change (a spool or staging file; deleting it afterwards is fine): it is
   * linked rather than copied where the file system allows. Returns the stored message; when
   * {@code source} is already stored, returns that one and writes nothing.
   */
  public StoredMessage store(Folder folder, String source, Path content, Optional<Path> original,
      MessageSummary summary) {
    return store(folder, source, content, false, original, summary, Optional.empty());
  }

  /**
   * As {@link #store(Folder, String, Path, Optional, MessageSummary)}, but takes {@code content}
   * over too: a scratch file the caller wrote and will only delete, linked rather than copied.
   */
  public StoredMessage storeTaking(Folder folder, String source, Path content, Optional<Path> original,
      MessageSummary summary) {
    return store(folder, source, content, true, original, summary, Optional.empty());
  }

  /**
   * As {@link #storeTaking}, noting in the same transaction as the index row that {@code owed}
   * (an answer, a record) is still to be done for the message. {@link #owed()} lists what a
   * killed process left undone; {@link #settle} says it is done.
   */
  public StoredMessage storeTaking(Folder folder, String source, Path content, Optional<Path> original,
      MessageSummary summary, String owed) {
    return store(folder, source, content, true, original, summary, Optional.of(owed));
  }

  /** As {@link #store}, noting {@code owed} with the index row (see the other overload). */
  public StoredMessage store(Folder folder, String source, Path content, Optional<Path> original,
      MessageSummary summary, String owed) {
    return store(folder, source, content, false, original, summary, Optional.of(owed));
  }

  /** A stored message with something still to be done for it. */
  public record Owed(StoredMessage message, String what, Instant since) {}

  /** What is still owed, oldest first. */
  public synchronized List<Owed> owed() {
    record Row(long id, String what, Instant since) {}
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT id, what, since FROM owed ORDER BY since, id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(new Row(rs.getLong(1), rs.getString(2), Instant.parse(rs.getString(3))));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the mailbox index: " + e.getMessage(), e);
    }
    List<Owed> out = new ArrayList<>();
    for (Row r : rows) {
      Optional<StoredMessage> m = get(r.id());
      if (m.isPresent()) {
        out.add(new Owed(m.get(), r.what(), r.since()));
      } else {
        settle(r.id()); // the message is gone: nothing is owed for it any more
      }
    }
    return out;
  }

  /** What was owed for message {@code id} is done. */
  public synchronized void settle(long id) {
    try (PreparedStatement ps = db.prepareStatement("DELETE FROM owed WHERE id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot update the mailbox index: " + e.getMessage(), e);
    }
  }

  private StoredMessage store(Folder folder, String source, Path content, boolean takeContent,
      Optional<Path> original, MessageSummary summary, Optional<String> owed) {
    Optional<StoredMessage> existing = bySource(source);
    if (existing.isPresent()) {
      return existing.get();
    }
    String name = nameFor(source);
    Path dir = root.resolve(folder.dirName());
    try {
      // a name of this process's own in tmp/: two writers of one message (two fetches, two threads) never share one
      Path tmp = SecureFiles.privateTempFile(dir.resolve("tmp"), name);
      if (takeContent) {
        SecureFiles.linkOrCopy(content, tmp);
      } else {
        // the caller's own file (a message the user gave): copied, so that nothing it does later changes the copy
        SecureFiles.writeAtomically(tmp, out -> Files.copy(content, out));
      }
      Files.move(tmp, dir.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      SecureFiles.fsyncDirectory(dir.resolve("new"));
      if (original.isPresent()) {
        SecureFiles.linkOrCopy(original.get(), root.resolve("originals").resolve(name));
      }
      long size = Files.size(dir.resolve("new").resolve(name));
      Instant now = clock.instant();
      inTransaction(() -> {
        if (bySource(source).isPresent()) {
          return null;
        }
        long number = nextNumber(folder);
        try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO messages (folder, name, original, source,"
            + " message_id, sender, recipients, subject, date, verdict, detail, stored_at, size, number)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
          ps.setString(1, folder.name());
          ps.setString(2, name);
          ps.setString(3, original.isPresent() ? name : null);
          ps.setString(4, source);
          ps.setString(5, summary.messageId());
          ps.setString(6, summary.from());
          ps.setString(7, summary.to());
          ps.setString(8, summary.subject());
          ps.setString(9, summary.date().map(Instant::toString).orElse(null));
          ps.setString(10, summary.verdict());
          ps.setString(11, summary.detail());
          ps.setString(12, now.toString());
          ps.setLong(13, size);
          ps.setLong(14, number);
          ps.executeUpdate();
        }
        if (owed.isPresent()) {
          try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO owed (id, what, since)"
              + " SELECT id, ?, ? FROM messages WHERE source = ?")) {
            ps.setString(1, owed.get());
            ps.setString(2, now.toString());
            ps.setString(3, source);
            ps.executeUpdate();
          }
        }
        return null;
      });
      return bySource(source).orElseThrow();
    } catch (IOException | SQLException e) {
      throw new StoreException("cannot store a message in " + dir + ": " + e.getMessage(), e);
    }
  }

  public List<StoredMessage> list(Folder folder) {
    return query("SELECT * FROM messages WHERE folder = ? ORDER BY id", folder.name());
  }

  /**
   * Messages {@code offset} to {@code offset + limit} of {@code folder}, newest first, leaving out
   * those whose verdict is {@code excludedVerdict} when one is given: a page read without listing
   * the whole folder.
   */
  public List<StoredMessage> newestFirst(Folder folder, Optional<String> excludedVerdict, int offset, int limit) {
    if (excludedVerdict.isPresent()) {
      return query("SELECT * FROM messages WHERE folder = ? AND (verdict IS NULL OR verdict <> ?) ORDER BY id DESC "
          + "LIMIT ? OFFSET ?", folder.name(), excludedVerdict.get(), limit, offset);
    }
    return query("SELECT * FROM messages WHERE folder = ? ORDER BY id DESC LIMIT ? OFFSET ?", folder.name(), limit,
        offset);
  }

  /** How many messages {@code folder} holds, leaving out those whose verdict is {@code excludedVerdict}. */
  public synchronized long count(Folder folder, Optional<String> excludedVerdict) {
    String sql = "SELECT COUNT(*) FROM messages WHERE folder = ?"
        + (excludedVerdict.isPresent() ? " AND (verdict IS NULL OR verdict <> ?)" : "");
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      ps.setString(1, folder.name());
      if (excludedVerdict.isPresent()) {
        ps.setString(2, excludedVerdict.get());
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the mailbox index: " + e.getMessage(), e);
    }
  }

  /** Message {@code number} of {@code folder}, as the listings show it. */
  public Optional<StoredMessage> get(Folder folder, long number) {
    List<StoredMessage> l = query("SELECT * FROM messages WHERE folder = ? AND number = ?", folder.name(), number);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /**
   * Moves {@code m} to {@code target}, where it gets the next number; the move is recorded in the
   * history. The file is renamed, never copied, and keeps its original beside it.
   */
  public StoredMessage move(StoredMessage m, Folder target, String reason) {
    if (m.folder() == target) {
      return m;
    }
    Path from = m.file();
    Path to = root.resolve(target.dirName()).resolve("new").resolve(nameOf(m));
    try {
      inTransaction(() -> {
          long number = nextNumber(target);
          record("moved", m, Optional.of(target), reason);
          try (PreparedStatement ps = db.prepareStatement("UPDATE messages SET folder = ?, number = ? WHERE id = ?")) {
            ps.setString(1, target.name());
            ps.setLong(2, number);
            ps.setLong(3, m.id());
            ps.executeUpdate();
          }
          // renamed inside the transaction: a failed rename rolls the row back, a crash after it leaves the
          // file where the committed row (or, before the commit, locate() in either folder) finds it
          try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            SecureFiles.fsyncDirectory(to.getParent());
          } catch (IOException e) {
            throw new SQLException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
          }
          return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot move message " + m.number() + " out of the " + m.folder().dirName()
          + " folder: " + e.getMessage(), e);
    }
    return get(m.id()).orElseThrow();
  }

  /**
   * Deletes {@code m}: its headers (never its content) are recorded in the history first, then its
   * index row and its files go. The history keeps what was removed, when and why.
   */
  public void delete(StoredMessage m, String reason) {
    try {
      inTransaction(() -> {
          record("deleted", m, Optional.empty(), reason);
          try (PreparedStatement ps = db.prepareStatement("DELETE FROM messages WHERE id = ?")) {
            ps.setLong(1, m.id());
            ps.executeUpdate();
          }
          try (PreparedStatement ps = db.prepareStatement("DELETE FROM owed WHERE id = ?")) {
            ps.setLong(1, m.id());
            ps.executeUpdate();
          }
          return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot delete message " + m.number() + " of the " + m.folder().dirName()
          + " folder: " + e.getMessage(), e);
    }
    SecureFiles.deleteQuietly(m.file());
    m.original().ifPresent(SecureFiles::deleteQuietly);
  }

  /**
   * Lets go of the original kept beside the message stored from {@code source}: the row forgets it
   * first, then the file goes, so a crash in between leaves at most an unreferenced file that the
   * next sweep removes. Returns whether there was one.
   */
  public synchronized boolean dropOriginal(String source) {
    List<StoredMessage> l = query("SELECT * FROM messages WHERE source = ?", source);
    if (l.isEmpty() || l.get(0).original().isEmpty()) {
      return false;
    }
    try (PreparedStatement ps = db.prepareStatement("UPDATE messages SET original = NULL WHERE source = ?")) {
      ps.setString(1, source);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot update the index: " + e.getMessage(), e);
    }
    SecureFiles.deleteQuietly(l.get(0).original().get());
    return true;
  }

  /** One recorded move or deletion. */
  public record HistoryEntry(Instant at, String action, Folder folder, long number, Optional<Folder> to,
      String messageId, String from, String recipients, Optional<Instant> date, String reason) {}

  /** Every move and deletion, oldest first. */
  public synchronized List<HistoryEntry> history() {
    List<HistoryEntry> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT * FROM history ORDER BY seq");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new HistoryEntry(Instant.parse(rs.getString("at")), rs.getString("action"),
            Folder.valueOf(rs.getString("folder")), rs.getLong("number"),
            Optional.ofNullable(rs.getString("to_folder")).map(Folder::valueOf), rs.getString("message_id"),
            rs.getString("sender"), rs.getString("recipients"),
            Optional.ofNullable(rs.getString("date")).map(Instant::parse), rs.getString("reason")));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the mailbox history: " + e.getMessage(), e);
    }
    return out;
  }

  private void record(String action, StoredMessage m, Optional<Folder> to, String reason) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("INSERT INTO history (at, action, folder, number, to_folder,"
        + " message_id, sender, recipients, date, reason) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, clock.instant().toString());
      ps.setString(2, action);
      ps.setString(3, m.folder().name());
      ps.setLong(4, m.number());
      ps.setString(5, to.map(Folder::name).orElse(null));
      ps.setString(6, m.summary().messageId());
      ps.setString(7, m.summary().from());
      ps.setString(8, m.summary().to());
      ps.setString(9, m.summary().date().map(Instant::toString).orElse(null));
      ps.setString(10, reason);
      ps.executeUpdate();
    }
  }

  /**
   * What to look for: each criterion given must match (sender and recipient as a part of the
   * address, every subject word somewhere in the subject, the date within the range).
   */
  public record Query(Optional<Folder> folder, Optional<String> from, Optional<String> to, List<String> subjectWords,
      Optional<Instant> since, Optional<Instant> until) {
    public Query {
      subjectWords = List.copyOf(subjectWords);
    }
  }

  /** The messages matching {@code q}, oldest first. */
  public List<StoredMessage> search(Query q) {
    StringBuilder sql = new StringBuilder("SELECT * FROM messages WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    q.folder().ifPresent(f -> {
      sql.append(" AND folder = ?");
      args.add(f.name());
    });
    q.from().ifPresent(f -> {
      sql.append(" AND sender LIKE ? ESCAPE '\\'");
      args.add(like(f));
    });
    q.to().ifPresent(t -> {
      sql.append(" AND recipients LIKE ? ESCAPE '\\'");
      args.add(like(t));
    });
    for (String w : q.subjectWords()) {
      sql.append(" AND subject LIKE ? ESCAPE '\\'");
      args.add(like(w));
    }
    q.since().ifPresent(t -> {
      sql.append(" AND COALESCE(date, stored_at) >= ?");
      args.add(t.toString());
    });
    q.until().ifPresent(t -> {
      sql.append(" AND COALESCE(date, stored_at) < ?");
      args.add(t.toString());
    });
    sql.append(" ORDER BY COALESCE(date, stored_at), id");
    return query(sql.toString(), args.toArray());
  }

  private static String like(String s) {
    return "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  private static String nameOf(StoredMessage m) {
    String n = m.file().getFileName().toString();
    int colon = n.indexOf(':');
    return colon < 0 ? n : n.substring(0, colon);
  }

  public Optional<StoredMessage> get(long id) {
    List<StoredMessage> l = query("SELECT * FROM messages WHERE id = ?", id);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /**
   * Records that the message from {@code source} was discarded without being kept (the
   * unsecured.action = discard policy): counted, with its sender and the reason, never its content.
   */
  public synchronized void discard(String source, String sender, String reason) {
    try (PreparedStatement ps = db.prepareStatement(
        "INSERT OR IGNORE INTO discarded (source, sender, reason, discarded_at) VALUES (?,?,?,?)")) {
      ps.setString(1, source);
      ps.setString(2, sender);
      ps.setString(3, reason);
      ps.setString(4, clock.instant().toString());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot record a discarded message: " + e.getMessage(), e);
    }
  }

  /** The messages in {@code folder} with this Message-ID, oldest first. */
  public List<StoredMessage> withMessageId(Folder folder, String messageId) {
    return query("SELECT * FROM messages WHERE folder = ? AND message_id = ? ORDER BY id", folder.name(), messageId);
  }

  /**
   * Records that the message from {@code source} was a second copy of stored message {@code firstId}
   * and was not stored again; a re-fetch skips it like a stored one.
   */
  public synchronized void recordDuplicate(String source, long firstId) {
    try (PreparedStatement ps = db.prepareStatement(
        "INSERT OR IGNORE INTO duplicates (source, duplicate_of, received_at) VALUES (?,?,?)")) {
      ps.setString(1, source);
      ps.setLong(2, firstId);
      ps.setString(3, clock.instant().toString());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot record a duplicate message: " + e.getMessage(), e);
    }
  }

  /** How many messages were discarded. */
  public synchronized int discardedCount() {
    try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM discarded"); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      throw new StoreException("cannot read the mailbox index: " + e.getMessage(), e);
    }
  }

  /**
   * True, and remembered, when no courtesy notice went to {@code sender} within {@code interval}:
   * at most one per sender per interval (risk 8's loop and flood prevention).
   */
  public synchronized boolean claimCourtesyNotice(String sender, java.time.Duration interval) {
    Instant now = clock.instant();
    try (PreparedStatement q = db.prepareStatement("SELECT last_at FROM courtesy WHERE sender = ?")) {
      q.setString(1, sender);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next() && Instant.parse(rs.getString(1)).plus(interval).isAfter(now)) {
          return false;
        }
      }
      try (PreparedStatement u = db.prepareStatement("INSERT OR REPLACE INTO courtesy (sender, last_at) VALUES (?,?)")) {
        u.setString(1, sender);
        u.setString(2, now.toString());
        u.executeUpdate();
      }
      return true;
    } catch (SQLException e) {
      throw new StoreException("cannot read the mailbox index: " + e.getMessage(), e);
    }
  }

  /** When the newest message in any of {@code folders} was stored, if any was. */
  public synchronized Optional<Instant> lastStored(Folder... folders) {
    StringBuilder in = new StringBuilder();
    for (Folder f : folders) {
      in.append(in.length() == 0 ? "" : ",").append('\'').append(f.name()).append('\'');
    }
    try (PreparedStatement ps = db.prepareStatement("SELECT MAX(stored_at) FROM messages WHERE folder IN (" + in + ")");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(rs.getString(1)).map(Instant::parse) : Optional.empty();
    } catch (SQLException e) {
      throw new StoreException("cannot read the mailbox index: " + e.getMessage(), e);
    }
  }

  private Optional<StoredMessage> bySource(String source) {
    List<StoredMessage> l = query("SELECT * FROM messages WHERE source = ?", source);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  private synchronized List<StoredMessage> query(String sql, Object... args) {
    List<StoredMessage> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Folder f = Folder.valueOf(rs.getString("folder"));
          String name = rs.getString("name");
          Path file = locate(f, name);
          String original = rs.getString("original");
          MessageSummary s = new MessageSummary(rs.getString("message_id"), rs.getString("sender"),
              rs.getString("recipients"), rs.getString("subject"),
              Optional.ofNullable(rs.getString("date")).map(Instant::parse), rs.getString("verdict"),
              rs.getString("detail"));
          out.add(new StoredMessage(rs.getLong("id"), f, rs.getLong("number"), file,
              Optional.ofNullable(original).map(o -> root.resolve("originals").resolve(o)), rs.getString("source"), s,
              Instant.parse(rs.getString("stored_at")), rs.getLong("size")));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the mailbox index: " + e.getMessage(), e);
    }
    return out;
  }

  /** The file in new/ or, once another tool has seen it, in cur/ (with its ":2,flags" suffix). */
  private Path locate(Folder f, String name) {
    Path dir = root.resolve(f.dirName());
    Path inNew = dir.resolve("new").resolve(name);
    if (Files.exists(inNew)) {
      return inNew;
    }
    try (var s = Files.list(dir.resolve("cur"))) {
      return s.filter(p -> p.getFileName().toString().startsWith(name)).findFirst().orElse(inNew);
    } catch (IOException e) {
      return inNew;
    }
  }

  private static String nameFor(String source) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16) + ".direct";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
