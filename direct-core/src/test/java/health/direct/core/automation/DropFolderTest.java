package health.direct.core.automation;

import health.direct.core.outgoing.MessageSender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.direct.core.Fixture;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.RetryPolicy;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EHR's drop folder: every file answered, none lost, none queued twice. */
class DropFolderTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
  static final TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
  static final Fixture fx = new Fixture(pki);

  @TempDir
  Path dir;
  Mailbox mailbox;
  Outbox outbox;
  MessageSender sender;
  Path drop;

  @BeforeAll
  static void pki() {
    fx.publish("bob@clinic.example", bob.certificate());
  }

  @BeforeEach
  void parts() {
    mailbox = Mailbox.open(dir.resolve("mail"), Clock.systemUTC());
    outbox = new Outbox(dir.resolve("outbox"), Clock.systemUTC(), RetryPolicy.defaults());
    sender = new MessageSender(fx.sender(alice), outbox, mailbox);
    drop = dir.resolve("drop");
  }

  @AfterEach
  void close() {
    mailbox.close();
  }

  private DropFolder folder() {
    return new DropFolder(drop, plain -> sender.queue(plain).submission(), outbox, Clock.systemUTC());
  }

  private static String message(String to, String messageIdLine) {
    return "From: alice@hospital.example\r\nTo: " + to + "\r\nSubject: Discharge summary\r\n" + messageIdLine
        + "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nSee chart.\r\n";
  }

  private Path dropFile(String name, String content) throws Exception {
    DropFolder created = folder(); // makes the folders, as the agent does on start
    assertThat(created).isNotNull();
    Path tmp = Files.writeString(drop.resolve("outgoing").resolve(name + ".part"), content, StandardCharsets.US_ASCII);
    return Files.move(tmp, drop.resolve("outgoing").resolve(name)); // the EHR renames a finished file into place
  }

  private JsonNode json(Path p) throws Exception {
    return new ObjectMapper().readTree(p.toFile());
  }

  @Test
  void aDroppedMessageIsQueuedAndAnsweredWithItsMessageIdAndRecipients() throws Exception {
    dropFile("doc-17.eml", message("bob@clinic.example", "Message-ID: <doc-17@hospital.example>\r\n"));

    List<DropFolder.Result> results = folder().collect();

    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(DropFolder.Outcome.QUEUED);
      assertThat(r.messageId()).contains("<doc-17@hospital.example>");
    });
    JsonNode answer = json(drop.resolve("queued").resolve("doc-17.json"));
    assertThat(answer.get("outcome").asText()).isEqualTo("queued");
    assertThat(answer.get("messageId").asText()).isEqualTo("<doc-17@hospital.example>");
    assertThat(answer.get("securedFor").get(0).asText()).isEqualTo("bob@clinic.example");
    assertThat(outbox.findByMessageId("<doc-17@hospital.example>")).isPresent()
        .hasValueSatisfying(e -> assertThat(answer.get("outboxId").asText()).isEqualTo(e.id()));
    assertThat(mailbox.list(Folder.SENT)).hasSize(1);
    assertThat(list("outgoing")).isEmpty();
    assertThat(list("processing")).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(drop.resolve("queued")))).isEqualTo("rwx------");
  }

  @Test
  void theSealedMessageIsWrittenOnceTheSentCopysOriginalIsTheOutboxFile() throws Exception {
    Path plain = Files.writeString(dir.resolve("plain.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: s\r\nMessage-ID: <once@hospital.example>\r\n\r\nbody\r\n");

    MessageSender.Queued q = sender.queue(plain);

    health.direct.core.mailbox.StoredMessage sent = mailbox.list(health.direct.core.mailbox.Folder.SENT).get(0);
    assertThat(Files.isSameFile(sent.original().orElseThrow(), q.entry().message())).isTrue();
    // the user's own plain file is copied, never shared: changing it later cannot change the record
    assertThat(Files.isSameFile(sent.file(), plain)).isFalse();
    try (var left = Files.list(dir.resolve("outbox"))) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("."))).isEmpty();
    }
  }

  @Test
  void aMessageThatCannotBeSecuredIsKeptInFailedWithTheReasonAndExitCode() throws Exception {
    dropFile("doc-18.eml", message("nobody@elsewhere.example", "Message-ID: <doc-18@hospital.example>\r\n"));

    assertThat(folder().collect()).singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(DropFolder.Outcome.FAILED));

    JsonNode answer = json(drop.resolve("failed").resolve("doc-18.json"));
    assertThat(answer.get("problem").asText()).isEqualTo("NO_TRUSTED_RECIPIENT");
    assertThat(answer.get("exitCode").asInt()).isEqualTo(11);
    assertThat(answer.get("reason").asText()).contains("nobody@elsewhere.example");
    assertThat(drop.resolve("failed").resolve("doc-18.eml")).exists();
    assertThat(outbox.findByMessageId("<doc-18@hospital.example>")).isEmpty();
  }

  @Test
  void aMessageWithoutAMessageIdGetsOneThatTheAnswerAndTheSentCopyShare() throws Exception {
    dropFile("doc-19.eml", message("bob@clinic.example", ""));

    DropFolder.Result r = folder().collect().get(0);

    String id = json(drop.resolve("queued").resolve("doc-19.json")).get("messageId").asText();
    assertThat(id).startsWith("<").endsWith("@hospital.example>");
    assertThat(r.messageId()).contains(id);
    assertThat(mailbox.list(Folder.SENT).get(0).summary().messageId()).isEqualTo(id);
  }

  @Test
  void aFileQueuedJustBeforeACrashIsAnsweredOnRestartNotQueuedAgain() throws Exception {
    // the crash: the file was claimed into processing/ and queued, but no answer was written
    folder();
    Path claimed = Files.writeString(drop.resolve("processing").resolve("doc-20.eml"),
        message("bob@clinic.example", "Message-ID: <doc-20@hospital.example>\r\n"));
    String outboxId = sender.queue(claimed).entry().id();

    assertThat(folder().collect()).singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(DropFolder.Outcome.QUEUED));

    assertThat(outbox.entriesByMessageId("<doc-20@hospital.example>")).hasSize(1);
    assertThat(json(drop.resolve("queued").resolve("doc-20.json")).get("outboxId").asText()).isEqualTo(outboxId);
    assertThat(list("processing")).isEmpty();
  }

  @Test
  void whileOneProcessCollectsAnotherTakesNothing() throws Exception {
    dropFile("doc-22.eml", message("bob@clinic.example", "Message-ID: <doc-22@hospital.example>\r\n"));
    // another process holds the folder's lock (file locks are per process, so a child JVM plays it)
    Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), drop.resolve(".lock").toString())
        .redirectErrorStream(true).start();
    try {
      assertThat(new String(other.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("locked");

      assertThat(folder().collect()).isEmpty();
      assertThat(drop.resolve("outgoing").resolve("doc-22.eml")).exists();
    } finally {
      other.destroy();
      other.waitFor();
    }
    assertThat(folder().collect()).hasSize(1);
  }

  /** Holds a file lock until killed. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      try (var ch = java.nio.channels.FileChannel.open(Path.of(args[0]), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.WRITE); var lock = ch.lock()) {
        System.out.print("locked");
        System.out.flush();
        Thread.sleep(60_000);
      }
    }
  }

  @Test
  void aFileThatIsNotAMessageIsKeptInFailedAndTheNextOneStillGoes() throws Exception {
    dropFile("garbage.eml", "\u0000\u0001 not a message at all");
    Files.setLastModifiedTime(drop.resolve("outgoing").resolve("garbage.eml"),
        java.nio.file.attribute.FileTime.fromMillis(1000)); // oldest: handled first
    dropFile("doc-23.eml", message("bob@clinic.example", "Message-ID: <doc-23@hospital.example>\r\n"));

    List<DropFolder.Result> results = folder().collect();

    assertThat(results).extracting(DropFolder.Result::outcome)
        .containsExactly(DropFolder.Outcome.FAILED, DropFolder.Outcome.QUEUED);
    assertThat(json(drop.resolve("failed").resolve("garbage.json")).get("problem").asText()).isEqualTo("MALFORMED_INPUT");
    assertThat(drop.resolve("failed").resolve("garbage.eml")).exists();
  }

  @Test
  void filesStillBeingWrittenAreLeftAlone() throws Exception {
    folder();
    Path partial = Files.writeString(drop.resolve("outgoing").resolve("doc-21.eml.part"), "From: alice@hosp");

    assertThat(folder().collect()).isEmpty();
    assertThat(partial).exists();
  }

  private List<Path> list(String sub) throws Exception {
    try (Stream<Path> s = Files.list(drop.resolve(sub))) {
      return s.toList();
    }
  }
}
