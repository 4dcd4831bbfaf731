package health.direct.core.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Maildir mailbox and its index. */
class MailboxTest {
  @TempDir
  Path dir;

  private Path message(String subject) throws Exception {
    return Files.writeString(dir.resolve(subject.replace(' ', '_') + ".eml"), "From: lab@clinic.example\r\n"
        + "To: bob@clinic.example\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject.hashCode()
        + "@clinic.example>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nbody\r\n");
  }

  @Test
  void storingTheSameSourceTwiceKeepsOneCopy() throws Exception {
    try (Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      Path m = message("Result 1");
      StoredMessage first = box.store(Folder.INBOX, "imap:bob@x/INBOX;UIDVALIDITY=1/;UID=7", m, Optional.empty(),
          HeaderSummary.of(m, "trusted", ""));
      StoredMessage second = box.store(Folder.INBOX, "imap:bob@x/INBOX;UIDVALIDITY=1/;UID=7", m, Optional.empty(),
          HeaderSummary.of(m, "trusted", ""));

      assertThat(second.id()).isEqualTo(first.id());
      assertThat(box.list(Folder.INBOX)).hasSize(1);
      try (var s = Files.list(dir.resolve("mail/inbox/new"))) {
        assertThat(s.count()).isEqualTo(1);
      }
      assertThat(first.summary().subject()).isEqualTo("Result 1");
      assertThat(first.summary().date()).isPresent();
    }
  }

  @Test
  void severalThreadsStoringTheSameMessagesAtOnceKeepOneCopyOfEachAndFailNone() throws Exception {
    List<Path> messages = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      messages.add(message("Result " + i));
    }
    try (Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
      List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
      for (int t = 0; t < 6; t++) {
        runs.add(pool.submit(() -> {
          for (int i = 0; i < messages.size(); i++) {
            Path m = messages.get(i);
            box.store(Folder.INBOX, "imap:bob@x/INBOX;UIDVALIDITY=1/;UID=" + i, m, Optional.empty(),
                HeaderSummary.of(m, "trusted", ""));
          }
          return null;
        }));
      }
      pool.shutdown();
      for (var r : runs) {
        r.get(); // an exception in any writer fails here
      }

      assertThat(box.list(Folder.INBOX)).hasSize(30);
      assertThat(box.list(Folder.INBOX)).extracting(StoredMessage::number).doesNotHaveDuplicates();
      try (var s = Files.list(dir.resolve("mail/inbox/new"))) {
        assertThat(s.count()).isEqualTo(30);
      }
      try (var s = Files.list(dir.resolve("mail/inbox/tmp"))) {
        assertThat(s.toList()).isEmpty();
      }
    }
  }

  @Test
  void aMessageLeftInNewWithoutItsIndexRowIsReplacedNotDuplicatedWhenFetchedAgain() throws Exception {
    Path m = message("Result 2");
    String source = "pop3:bob@x;UIDL=abc";
    try (Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      box.store(Folder.INBOX, source, m, Optional.empty(), HeaderSummary.of(m, "trusted", ""));
    }
    // as if the process died after the rename but before the index row: drop the row
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mail/index.db"));
        var st = c.createStatement()) {
      st.execute("DELETE FROM messages");
    }
    try (Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      box.store(Folder.INBOX, source, m, Optional.empty(), HeaderSummary.of(m, "trusted", ""));
      assertThat(box.list(Folder.INBOX)).hasSize(1);
    }
    try (var s = Files.list(dir.resolve("mail/inbox/new"))) {
      assertThat(s.count()).isEqualTo(1);
    }
  }

  @Test
  void foldersAreOwnerOnlyAndAMessageMovedToCurByAnotherToolIsStillFound() throws Exception {
    try (Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      Path m = message("Result 3");
      StoredMessage s = box.store(Folder.QUARANTINE, "x", m, Optional.empty(), HeaderSummary.of(m, "unsecured", "why"));
      Path cur = dir.resolve("mail/quarantine/cur").resolve(s.file().getFileName() + ":2,S");
      Files.move(s.file(), cur);

      assertThat(box.get(s.id()).orElseThrow().file()).isEqualTo(cur);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("mail/quarantine/new"))))
          .isEqualTo("rwx------");
      assertThat(box.get(s.id()).orElseThrow().summary().detail()).isEqualTo("why");
    }
  }

  @Test
  void numbersArePerFolderStableAndNeverGivenTwice() throws Exception {
    try (Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      StoredMessage a = store(box, Folder.INBOX, "a");
      StoredMessage b = store(box, Folder.INBOX, "b");
      StoredMessage s = store(box, Folder.SENT, "s");
      assertThat(List.of(a.number(), b.number(), s.number())).containsExactly(1L, 2L, 1L);

      StoredMessage archived = box.move(b, Folder.ARCHIVE, "moved by the user");
      assertThat(archived.number()).isEqualTo(1);
      assertThat(archived.file()).exists().startsWith(dir.resolve("mail/archive"));
      box.delete(a, "deleted by the user");
      assertThat(a.file()).doesNotExist();
      // a new message never takes a number that named another
      assertThat(store(box, Folder.INBOX, "c").number()).isEqualTo(3);
      assertThat(box.get(Folder.INBOX, 1)).isEmpty();
      assertThat(box.history()).extracting(Mailbox.HistoryEntry::action).containsExactly("moved", "deleted");
    }
  }

  @Test
  void anIndexFromBeforeNumbersIsNumberedInTheOrderItWasStored() throws Exception {
    Path mail = dir.resolve("mail");
    try (Mailbox box = Mailbox.open(mail, Clock.systemUTC())) {
      store(box, Folder.INBOX, "a");
      store(box, Folder.SENT, "s");
      store(box, Folder.INBOX, "b");
    }
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + mail.resolve("index.db"));
        var st = c.createStatement()) {
      st.execute("DROP INDEX messages_folder_number");
      st.execute("ALTER TABLE messages DROP COLUMN number");
      st.execute("DELETE FROM folder_numbers");
    }
    try (Mailbox box = Mailbox.open(mail, Clock.systemUTC())) {
      assertThat(box.list(Folder.INBOX)).extracting(StoredMessage::number).containsExactly(1L, 2L);
      assertThat(box.list(Folder.SENT)).extracting(StoredMessage::number).containsExactly(1L);
      assertThat(store(box, Folder.INBOX, "c").number()).isEqualTo(3);
    }
  }

  @Test
  void severalProcessesOpeningAnIndexFromBeforeNumbersAtOnceAllSucceed() throws Exception {
    Path mail = dir.resolve("mail");
    try (Mailbox box = Mailbox.open(mail, Clock.systemUTC())) {
      store(box, Folder.INBOX, "a");
    }
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + mail.resolve("index.db"));
        var st = c.createStatement()) {
      st.execute("DROP INDEX messages_folder_number");
      st.execute("ALTER TABLE messages DROP COLUMN number");
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Long>> opened = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        opened.add(pool.submit(() -> {
          start.await();
          try (Mailbox box = Mailbox.open(mail, Clock.systemUTC())) {
            return box.list(Folder.INBOX).get(0).number();
          }
        }));
      }
      start.countDown();
      for (var f : opened) {
        assertThat(f.get()).isEqualTo(1L);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void searchMatchesEveryCriterionGiven() throws Exception {
    try (Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      store(box, Folder.INBOX, "Lab results 100%");
      store(box, Folder.INBOX, "Discharge summary");
      assertThat(box.search(new Mailbox.Query(Optional.empty(), Optional.of("lab@"), Optional.empty(),
          List.of("results"), Optional.empty(), Optional.empty()))).hasSize(1);
      // LIKE's wildcards in what the user typed are taken literally
      assertThat(box.search(new Mailbox.Query(Optional.empty(), Optional.empty(), Optional.empty(), List.of("%"),
          Optional.empty(), Optional.empty()))).hasSize(1);
      assertThat(box.search(new Mailbox.Query(Optional.of(Folder.SENT), Optional.empty(), Optional.empty(), List.of(),
          Optional.empty(), Optional.empty()))).isEmpty();
    }
  }

  @Test
  void aPageIsReadNewestFirstWithoutTheExcludedVerdictAndCountedAlike() throws Exception {
    try (Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      for (int i = 1; i <= 7; i++) {
        store(box, Folder.SENT, "sent " + i);
      }
      Path auto = message("a notification");
      box.store(Folder.SENT, "test:auto", auto, Optional.empty(), HeaderSummary.of(auto, "automatic", ""));
      store(box, Folder.INBOX, "elsewhere");

      assertThat(box.count(Folder.SENT, Optional.empty())).isEqualTo(8);
      assertThat(box.count(Folder.SENT, Optional.of("automatic"))).isEqualTo(7);
      assertThat(box.newestFirst(Folder.SENT, Optional.of("automatic"), 0, 3)).extracting(m -> m.summary().subject())
          .containsExactly("sent 7", "sent 6", "sent 5");
      assertThat(box.newestFirst(Folder.SENT, Optional.of("automatic"), 6, 3)).extracting(m -> m.summary().subject())
          .containsExactly("sent 1");
      assertThat(box.newestFirst(Folder.SENT, Optional.empty(), 0, 1)).extracting(m -> m.summary().subject())
          .containsExactly("a notification");
      assertThat(box.newestFirst(Folder.SENT, Optional.empty(), 50, 10)).isEmpty();
    }
  }

  private StoredMessage store(Mailbox box, Folder f, String subject) throws Exception {
    Path m = message(subject);
    return box.store(f, "test:" + subject, m, Optional.empty(), HeaderSummary.of(m, "trusted", ""));
  }
}
