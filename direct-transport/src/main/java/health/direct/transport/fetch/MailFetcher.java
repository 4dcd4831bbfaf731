package health.direct.transport.fetch;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.MessageSink;
import health.direct.core.mailbox.StoredMessage;
import health.direct.transport.net.HostResolver;
import health.direct.transport.tls.TlsTrust;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.pop3.POP3Folder;

/**
 * Fetches new mail from the user's mailbox (arc 5; risk 7) over IMAP or POP3. TLS is on unless
 * switched off for a loopback server, where a plaintext login must be explicitly allowed; the
 * server certificate and name are checked. Each message is handed to the sink, which stores it
 * durably, before it is marked deleted on the server (unless kept there); IMAP UIDs with
 * UIDVALIDITY and POP3 UIDLs name each message so a re-fetch after a crash skips what was stored.
 *
 * <pre>{@code
 * FetchReport r = new MailFetcher(hosts, tls, work).fetch(settings, receiver);
 * }</pre>
 */
public final class MailFetcher {
  private final HostResolver hosts;
  private final TlsTrust tls;
  private final Path work;

  public MailFetcher(HostResolver hosts, TlsTrust tls, Path work) {
    this.hosts = hosts;
    this.tls = tls;
    this.work = work;
  }

  public FetchReport fetch(FetchSettings s, MessageSink sink) {
    return fetch(s, sink, FetchProgress.NONE);
  }

  /** As {@link #fetch(FetchSettings, MessageSink)}, telling {@code progress} how large downloads go. */
  public FetchReport fetch(FetchSettings s, MessageSink sink, FetchProgress progress) {
    InetAddress ip = address(s);
    if (s.tls() == FetchTls.NONE && !(s.allowPlaintextLoopback() && ip.isLoopbackAddress())) {
      throw new DirectException(Problem.CONFIG, "refusing to log in to " + s.host() + " without TLS: the password "
          + "would cross the network in the clear (risk 7). Use fetch.tls = implicit or starttls"
          + (ip.isLoopbackAddress() ? ", or fetch.allow-plaintext-loopback = true for this loopback server" : ""));
    }
    String proto = s.protocol() == FetchSettings.Protocol.IMAP ? "imap" : "pop3";
    TlsModeProbe.check(ip, s);
    Session session = Session.getInstance(properties(proto, s));
    char[] password = s.password().get();
    try (Store store = session.getStore(proto)) {
      store.connect(ip.getHostAddress(), s.port(), s.user(), new String(password));
      Folder folder = store.getFolder(s.protocol() == FetchSettings.Protocol.IMAP ? s.folder() : "INBOX");
      folder.open(s.keepOnServer() ? Folder.READ_ONLY : Folder.READ_WRITE);
      FetchReport report;
      try {
        report = drain(s, folder, sink, progress);
      } finally {
        // expunges (IMAP) or commits the deletions with QUIT (POP3) only for messages already stored
        folder.close(!s.keepOnServer());
      }
      return report;
    } catch (AuthenticationFailedException e) {
      throw new DirectException(Problem.LOGIN_REFUSED, "the server " + s.host() + " refused the login for " + s.user()
          + " (" + String.valueOf(e.getMessage()).trim() + "): check fetch.user, and store the right password with "
          + "'direct account set-password'", e);
    } catch (MessagingException e) {
      if (s.tls() == FetchTls.IMPLICIT && describe(e).contains("Unsupported or unrecognized SSL message")) {
        throw new DirectException(Problem.CONFIG, s.host() + ":" + s.port() + " answered in plain text, not TLS: "
            + "set fetch.tls = starttls for this port, or use the implicit-TLS port ("
            + (s.protocol() == FetchSettings.Protocol.IMAP ? "993 for IMAP" : "995 for POP3") + ")", e);
      }
      throw new DirectException(Problem.IO, "cannot fetch from " + s.host() + ":" + s.port() + " ("
          + proto.toUpperCase(Locale.ROOT) + ", TLS " + s.tls().name().toLowerCase(Locale.ROOT) + "): "
          + describe(e), e);
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  /**
   * Opens an IMAP IDLE session on the folder, so a caller can wait for new mail instead of polling.
   * Empty when the protocol is POP3 or the server does not offer IDLE.
   */
  public java.util.Optional<IdleSession> idle(FetchSettings s) {
    if (s.protocol() != FetchSettings.Protocol.IMAP) {
      return java.util.Optional.empty();
    }
    InetAddress ip = address(s);
    if (s.tls() == FetchTls.NONE && !(s.allowPlaintextLoopback() && ip.isLoopbackAddress())) {
      return java.util.Optional.empty();
    }
    Session session = Session.getInstance(properties("imap", s));
    char[] password = s.password().get();
    Store store = null;
    try {
      store = session.getStore("imap");
      store.connect(ip.getHostAddress(), s.port(), s.user(), new String(password));
      if (!((org.eclipse.angus.mail.imap.IMAPStore) store).hasCapability("IDLE")) {
        store.close();
        return java.util.Optional.empty();
      }
      IMAPFolder folder = (IMAPFolder) store.getFolder(s.folder());
      folder.open(Folder.READ_ONLY);
      return java.util.Optional.of(new IdleSession(store, folder));
    } catch (MessagingException e) {
      if (store != null) {
        try {
          store.close();
        } catch (MessagingException ignored) {
          // giving up on IDLE anyway
        }
      }
      return java.util.Optional.empty();
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  /** A folder in IMAP IDLE: {@link #await} returns when mail arrives, the time is up, or {@link #wake} is called. */
  public static final class IdleSession implements AutoCloseable {
    private final Store store;
    private final IMAPFolder folder;
    private final java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "imap-idle-timer");
          t.setDaemon(true);
          return t;
        });

    IdleSession(Store store, IMAPFolder folder) {
      this.store = store;
      this.folder = folder;
      // the client stays in IDLE after an EXISTS; leave it as soon as the new mail is announced
      folder.addMessageCountListener(new jakarta.mail.event.MessageCountAdapter() {
        @Override
        public void messagesAdded(jakarta.mail.event.MessageCountEvent e) {
          timer.execute(IdleSession.this::wake);
        }
      });
    }

    /** Messages in the folder now. */
    public int messageCount() {
      try {
        return folder.getMessageCount();
      } catch (MessagingException e) {
        return 0;
      }
    }

    /** True when the server reported new mail within {@code max}. */
    public boolean await(java.time.Duration max) {
      try {
        int before = folder.getMessageCount();
        var abort = timer.schedule(this::wake, max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        folder.idle(true);
        abort.cancel(false);
        return folder.getMessageCount() > before;
      } catch (MessagingException | IllegalStateException e) {
        return false;
      }
    }

    /** Ends the wait now: a NOOP makes the client leave IDLE first. */
    public void wake() {
      try {
        folder.doCommand(protocol -> {
          protocol.simpleCommand("NOOP", null);
          return null;
        });
      } catch (MessagingException | IllegalStateException ignored) {
        // the session is gone; the waiter returns either way
      }
    }

    @Override
    public void close() {
      timer.shutdownNow();
      try {
        store.close();
      } catch (MessagingException ignored) {
        // closing anyway
      }
    }
  }

  private FetchReport drain(FetchSettings s, Folder folder, MessageSink sink, FetchProgress progress)
      throws MessagingException {
    ResumableDownload partials = new ResumableDownload(work);
    partials.sweep();
    Message[] messages = folder.getMessages();
    FetchProfile fp = new FetchProfile();
    fp.add(UIDFolder.FetchProfileItem.UID);
    fp.add(FetchProfile.Item.SIZE);
    if (folder instanceof IMAPFolder) {
      fp.add(FetchProfile.Item.ENVELOPE); // the Message-ID, to check what comes back
    }
    folder.fetch(messages, fp);
    // the small ones first: a large message does not hold up the mail behind it
    messages = java.util.Arrays.stream(messages).sorted(java.util.Comparator.comparingLong(MailFetcher::sizeOrZero))
        .toArray(Message[]::new);
    String prefix = sourcePrefix(s, folder);
    List<StoredMessage> stored = new ArrayList<>();
    List<String> later = new ArrayList<>();
    int already = 0;
    int index = 0;
    for (Message m : messages) {
      index++;
      if (m.isExpunged()) {
        continue; // another client removed it meanwhile: nothing to fetch
      }
      String source = prefix + uid(folder, m);
      if (sink.contains(source)) {
        already++;
      } else {
        long size = sizeOrZero(m);
        // a large IMAP message comes in ranges kept across fetches, so an interruption costs only the last range
        boolean resumable = size >= FetchProgress.LARGE && folder instanceof IMAPFolder && m instanceof IMAPMessage;
        Path raw = null;
        try {
          if (resumable) {
            final int n = index;
            final int of = messages.length;
            raw = partials.download((IMAPFolder) folder, (IMAPMessage) m, source,
                bytes -> progress.downloading(n, of, bytes, size));
          } else {
            raw = SecureFiles.privateTempFile(work, "fetched");
            try (OutputStream file = Files.newOutputStream(raw)) {
              OutputStream out = size >= FetchProgress.LARGE ? reporting(file, index, messages.length, size, progress)
                  : file;
              m.writeTo(out);
              out.flush();
              if (out instanceof health.direct.core.io.CountingOutputStream c) {
                progress.downloading(index, messages.length, c.count(), size); // the last part of a mebibyte too
              }
            }
          }
          Optional<String> wrong = mismatch(folder, m, source, prefix, raw);
          if (wrong.isPresent()) {
            // not stored and not deleted: the next fetch asks again, by the same UID, from the start
            later.add(source + ": " + wrong.get());
            SecureFiles.deleteQuietly(raw);
            continue;
          }
          stored.add(sink.accept(source, raw));
          SecureFiles.deleteQuietly(raw);
        } catch (IOException e) {
          if (m.isExpunged()) {
            // another client removed it while it was read: nothing to store, and nothing of it is deleted
            later.add(source + ": the message was removed from the server while it was read");
            if (raw != null) {
              SecureFiles.deleteQuietly(raw);
            }
            continue;
          }
          throw new DirectException(Problem.IO, "cannot save a fetched message: " + e.getMessage(), e);
        } finally {
          if (raw != null && !resumable) {
            SecureFiles.deleteQuietly(raw);
          }
        }
      }
      if (!s.keepOnServer()) {
        markDeleted(folder, List.of(m));
      }
    }
    return new FetchReport(stored, already, s.tls() != FetchTls.NONE, later);
  }

  /**
   * Marks for deletion messages that are stored, as each is (the close expunges them). IMAP goes by UID,
   * never by sequence number: another client expunging meanwhile renumbers the folder, and a
   * STORE by number would then mark a message that was never fetched.
   */
  private static void markDeleted(Folder folder, List<Message> done) throws MessagingException {
    if (done.isEmpty()) {
      return;
    }
    if (!(folder instanceof IMAPFolder imap)) {
      for (Message m : done) {
        m.setFlag(Flags.Flag.DELETED, true); // POP3: the numbers hold for the whole session
      }
      return;
    }
    List<Long> uids = new ArrayList<>();
    for (Message m : done) {
      uids.add(imap.getUID(m));
    }
    for (int i = 0; i < uids.size(); i += 200) {
      String set = String.join(",", uids.subList(i, Math.min(uids.size(), i + 200)).stream().map(String::valueOf)
          .toList());
      imap.doCommand(p -> {
        p.simpleCommand("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", null);
        return null;
      });
    }
  }

  /** {@code out}, telling {@code progress} about every mebibyte that passes. */
  private static OutputStream reporting(OutputStream out, int index, int of, long size, FetchProgress progress) {
    return new health.direct.core.io.CountingOutputStream(out, 1 << 20, bytes -> progress.downloading(index, of,
        bytes, size));
  }

  private static long sizeOrZero(Message m) {
    try {
      return Math.max(0, m.getSize());
    } catch (MessagingException e) {
      return 0;
    }
  }

  /**
   * Why the download in {@code raw} is not the message asked for, if it is not: empty or shorter
   * than the size the server gave, a Message-ID other than the one in its envelope, or a UID that
   * changed while it was read (the folder was expunged meanwhile).
   */
  private static Optional<String> mismatch(Folder folder, Message m, String source, String prefix, Path raw)
      throws IOException, MessagingException {
    long got = Files.size(raw);
    if (got == 0) {
      return Optional.of("the server sent nothing");
    }
    int size = m.getSize();
    if (size > 0 && got < size) {
      return Optional.of("the download stopped at " + got + " of " + size + " bytes");
    }
    if (m.isExpunged() || !source.equals(prefix + uid(folder, m))) {
      return Optional.of("the message was removed from the server while it was read");
    }
    if (folder instanceof IMAPFolder && m instanceof jakarta.mail.internet.MimeMessage mm) {
      String asked = mm.getMessageID();
      if (asked != null) {
        String came = null;
        try (java.io.InputStream in = Files.newInputStream(raw)) {
          came = new jakarta.mail.internet.InternetHeaders(in).getHeader("Message-ID", null);
        }
        if (came != null && !came.trim().equals(asked.trim())) {
          return Optional.of("the server sent another message than the one asked for (Message-ID " + came.trim()
              + " instead of " + asked.trim() + ")");
        }
      }
    }
    return Optional.empty();
  }

  private static String sourcePrefix(FetchSettings s, Folder folder) throws MessagingException {
    String account = s.user() + "@" + s.host().toLowerCase(Locale.ROOT);
    if (folder instanceof IMAPFolder f) {
      return "imap:" + account + "/" + folder.getFullName() + ";UIDVALIDITY=" + f.getUIDValidity() + "/;UID=";
    }
    return "pop3:" + account + ";UIDL=";
  }

  private static String uid(Folder folder, Message m) throws MessagingException {
    if (folder instanceof IMAPFolder f) {
      return Long.toString(f.getUID(m));
    }
    String uidl = ((POP3Folder) folder).getUID(m);
    if (uidl == null) {
      throw new DirectException(Problem.IO, "the POP3 server does not support UIDL, so a re-fetch could not tell "
          + "which messages are already stored");
    }
    return uidl;
  }

  private InetAddress address(FetchSettings s) {
    try {
      return hosts.resolve(s.host()).get(0);
    } catch (java.net.UnknownHostException e) {
      throw new DirectException(Problem.IO, "cannot find the mail server: " + e.getMessage(), e);
    }
  }

  private Properties properties(String proto, FetchSettings s) {
    Properties p = new Properties();
    String ms = Long.toString(s.timeout().toMillis());
    String pre = "mail." + proto;
    p.put(pre + ".connectiontimeout", ms);
    p.put(pre + ".timeout", ms);
    p.put(pre + ".writetimeout", ms);
    p.put(pre + ".ssl.checkserveridentity", "false"); // checked by the factory against s.host(), see TlsTrust
    p.put(pre + ".ssl.socketFactory", tls.socketFactoryFor(s.host()));
    // never retry with the JDK's default factory after our checks refused the server
    p.put(pre + ".socketFactory.fallback", "false");
    p.put(pre + ".ssl.socketFactory.fallback", "false");
    switch (s.tls()) {
      case IMPLICIT -> p.put(pre + ".ssl.enable", "true");
      case STARTTLS -> {
        p.put(pre + ".starttls.enable", "true");
        p.put(pre + ".starttls.required", "true");
      }
      case NONE -> p.put(pre + ".starttls.enable", "false");
    }
    if (proto.equals("imap")) {
      // the library reads a message 16 KiB per round trip by default: 1 MiB per request keeps a
      // large message near the speed of the wire
      p.put("mail.imap.fetchsize", Integer.toString(1 << 20));
    }
    if (proto.equals("pop3")) {
      p.put("mail.pop3.rsetbeforequit", "false");
    }
    return p;
  }

  private static String describe(MessagingException e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()).trim());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      b.append(": ").append(String.valueOf(c.getMessage()).trim());
    }
    return b.toString();
  }
}
