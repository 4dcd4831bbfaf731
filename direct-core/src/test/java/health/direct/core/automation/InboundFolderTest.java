package health.direct.core.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.direct.core.DirectException;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.MessageSummary;
import health.direct.core.mailbox.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EHR's import folder: each trusted inbox message once, the JSON last, nothing from the quarantine. */
class InboundFolderTest {
  @TempDir
  Path dir;
  Mailbox mailbox;
  Path inbound;

  @BeforeEach
  void open() {
    mailbox = Mailbox.open(dir.resolve("mail"), Clock.systemUTC());
    inbound = dir.resolve("inbound");
  }

  @AfterEach
  void close() {
    mailbox.close();
  }

  private StoredMessage store(Folder folder, String source, String verdict) throws Exception {
    Path m = Files.writeString(dir.resolve(source + ".eml"), "From: wei.chen@clinic.example\r\nSubject: s\r\n\r\n"
        + source + "\r\n");
    return mailbox.store(folder, source, m, Optional.empty(), new MessageSummary("<" + source + "@clinic.example>",
        "wei.chen@clinic.example", "maria.rivera@hospital.example", "s", Optional.empty(), verdict,
        "signed by wei.chen@clinic.example"));
  }

  @Test
  void eachInboxMessageIsExportedOnceWithItsMetadataAndQuarantinedMailIsNot() throws Exception {
    StoredMessage first = store(Folder.INBOX, "a", "trusted");
    store(Folder.QUARANTINE, "b", "unsecured");
    StoredMessage third = store(Folder.INBOX, "c", "trusted");
    InboundFolder folder = new InboundFolder(inbound, mailbox);

    assertThat(folder.export()).isEqualTo(2);

    assertThat(Files.readString(inbound.resolve(first.id() + ".eml"))).contains("\r\na\r\n");
    JsonNode j = new ObjectMapper().readTree(inbound.resolve(third.id() + ".json").toFile());
    assertThat(j.get("messageId").asText()).isEqualTo("<c@clinic.example>");
    assertThat(j.get("verdict").asText()).isEqualTo("trusted");
    assertThat(j.get("file").asText()).isEqualTo(third.id() + ".eml");
    try (var files = Files.list(inbound)) {
      assertThat(files.filter(p -> !p.getFileName().toString().startsWith("."))).hasSize(4);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inbound))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inbound.resolve(first.id() + ".eml"))))
        .isEqualTo("rw-------");
  }

  @Test
  void whatTheEhrHasTakenIsNotExportedAgainButNewMailIs() throws Exception {
    StoredMessage first = store(Folder.INBOX, "a", "trusted");
    InboundFolder folder = new InboundFolder(inbound, mailbox);
    folder.export();
    Files.delete(inbound.resolve(first.id() + ".eml")); // the EHR imported the pair
    Files.delete(inbound.resolve(first.id() + ".json"));

    assertThat(folder.export()).isZero();
    StoredMessage second = store(Folder.INBOX, "d", "trusted");
    assertThat(new InboundFolder(inbound, mailbox).export()).isEqualTo(1);
    assertThat(inbound.resolve(second.id() + ".json")).exists();
    assertThat(inbound.resolve(first.id() + ".eml")).doesNotExist();
  }

  @Test
  void aCopyRepeatedAfterACrashHasTheSameNameSoTheEhrCanRecogniseIt() throws Exception {
    StoredMessage first = store(Folder.INBOX, "a", "trusted");
    InboundFolder folder = new InboundFolder(inbound, mailbox);
    folder.export();
    byte[] eml = Files.readAllBytes(inbound.resolve(first.id() + ".eml"));
    // the crash: the pair was written but the record of it was not
    Files.writeString(inbound.resolve(".exported"), "0");

    assertThat(folder.export()).isEqualTo(1);
    try (var files = Files.list(inbound)) {
      assertThat(files.filter(p -> !p.getFileName().toString().startsWith("."))).hasSize(2);
    }
    assertThat(Files.readAllBytes(inbound.resolve(first.id() + ".eml"))).isEqualTo(eml);
  }

  @Test
  void aDamagedRecordOfTheLastExportSaysHowToRecover() throws Exception {
    store(Folder.INBOX, "a", "trusted");
    InboundFolder folder = new InboundFolder(inbound, mailbox);
    Files.writeString(inbound.resolve(".exported"), "garbage");

    assertThatThrownBy(folder::export).isInstanceOf(DirectException.class).hasMessageContaining("remove it");
  }
}
