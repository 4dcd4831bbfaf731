package health.direct.core.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
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
}
