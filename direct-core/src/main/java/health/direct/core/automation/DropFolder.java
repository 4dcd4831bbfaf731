package health.direct.core.automation;

import health.direct.core.address.MessageId;
import health.direct.core.outgoing.Submission;
import health.direct.core.notifications.Notifications;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.MessageSummary;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.resolve.RecipientCertificates;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The seed's drawback, "harder to automate inside an EHR workflow", answered the way EHRs already
 * exchange files: a folder. The EHR writes a finished RFC 5322 message into {@code outgoing/}
 * under a temporary name and renames it to {@code NAME.eml}; each round takes every such file,
 * hands it to the same use case as {@code direct send --eml} (secure-only, or risk 1's opt-in
 * unsecured path), and answers with
 * {@code NAME.json} in {@code queued/} (Message-ID, outbox id, who was secured, who was dropped
 * and why) or, with the message kept beside it, in {@code failed/} (the problem, its exit code
 * and the reason). Delivery and notifications then follow by Message-ID ({@code direct status}).
 *
 * <p>Nothing is lost or sent twice across a crash: a file is renamed into {@code processing/}
 * before anything else, given a Message-ID there if it had none, and only then queued; a file
 * found in {@code processing/} later is finished from the outbox's record if it was queued, and
 * queued otherwise. The sent folder keeps the plain copy, so a queued message's file is removed.
 *
 * <pre>{@code
 * DropFolder drop = new DropFolder(Path.of("/var/spool/direct"), sendMessage::submit, outbox, Clock.systemUTC());
 * for (DropFolder.Result r : drop.collect()) { log(r.name() + ": " + r.outcome()); }
 * }</pre>
 */
public final class DropFolder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Path outgoing;
  private final Path processing;
  private final Path queued;
  private final Path failed;
  private final Submitter submitter;
  private final Outbox outbox;
  private final Clock clock;

  /** What became of one dropped file; {@code messageId} is empty when the file could not be read as a message. */
  public record Result(String name, Outcome outcome, Optional<String> messageId, String detail) {}

  public enum Outcome { QUEUED, FAILED }

  /** Sends one plain message file: seals and queues it, or throws why it cannot go. */
  @FunctionalInterface
  public interface Submitter {
    Submission submit(Path plain);
  }

  public DropFolder(Path root, Submitter submitter, Outbox outbox, Clock clock) {
    this.root = root;
    this.outgoing = root.resolve("outgoing");
    this.processing = root.resolve("processing");
    this.queued = root.resolve("queued");
    this.failed = root.resolve("failed");
    this.submitter = submitter;
    this.outbox = outbox;
    this.clock = clock;
    SecureFiles.privateDirectory(root);
    for (Path d : List.of(outgoing, processing, queued, failed)) {
      SecureFiles.privateDirectory(d);
    }
  }

  /**
   * Finishes what a crash left in {@code processing/}, then takes every {@code *.eml} in
   * {@code outgoing/}, oldest first. Holds {@code .lock} meanwhile: a second process collecting
   * from the same folder (an agent and an {@code agent --once}, say) finds it held and returns
   * nothing, so it cannot take a file in {@code processing/} for a crash's leftover.
   */
  public List<Result> collect() {
    try (FileChannel lockFile = FileChannel.open(SecureFiles.privateFile(root.resolve(".lock")),
        StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
      return lock == null ? List.of() : collectLocked();
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot lock " + root.resolve(".lock") + ": " + e.getMessage(), e);
    }
  }

  private List<Result> collectLocked() {
    List<Result> results = new ArrayList<>();
    for (Path p : messages(processing)) {
      results.add(process(p));
    }
    for (Path p : messages(outgoing)) {
      Path claimed = processing.resolve(p.getFileName());
      try {
        Files.move(p, claimed, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        continue; // taken by another process, or gone: nothing to do with it here
      }
      results.add(process(claimed));
    }
    return results;
  }

  private Result process(Path file) {
    String name = baseName(file);
    String messageId;
    try {
      messageId = ensureMessageId(file);
    } catch (RuntimeException e) {
      return fail(file, name, Optional.empty(), asProblem(e));
    }
    Optional<OutboxEntry> already = outbox.findByMessageId(messageId);
    if (already.isPresent()) {
      // queued before a crash: only the answer is missing
      return succeed(file, name, messageId, already.get(), List.of(), List.of(), List.of());
    }
    try {
      Submission q = submitter.submit(file);
      return succeed(file, name, messageId, q.entries().get(0), q.securedFor().stream().map(Object::toString).toList(),
          q.unsecuredTo().stream().map(Object::toString).toList(), q.dropped());
    } catch (RuntimeException e) {
      return fail(file, name, Optional.of(messageId), asProblem(e));
    }
  }

  /** Whatever went wrong with one file is answered for that file; the others still go. */
  private static DirectException asProblem(RuntimeException e) {
    return e instanceof DirectException d ? d
        : new DirectException(Problem.MALFORMED_INPUT, "the message cannot be processed: " + e, e);
  }

  /**
   * The file's Message-ID; one is added (atomically, in {@code processing/}) when it has none, so
   * that a retry after a crash recognises the message in the outbox.
   */
  private String ensureMessageId(Path file) {
    MessageSummary s = HeaderSummary.of(file, "", "");
    if (s.messageId() != null && !s.messageId().isBlank()) {
      return s.messageId().trim();
    }
    if (s.from() == null || s.from().isBlank()) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the message has no From header");
    }
    DirectAddress from = DirectAddress.parse(Notifications.parseAddress(s.from()));
    String id = MessageId.generate(from.domain()).toString();
    SecureFiles.writeAtomically(file, out -> {
      out.write(("Message-ID: " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
      try (var in = Files.newInputStream(file)) {
        in.transferTo(out);
      }
    });
    return id;
  }

  private Result succeed(Path file, String name, String messageId, OutboxEntry entry, List<String> securedFor,
      List<String> unsecuredTo, List<RecipientCertificates.Rejected> dropped) {
    ObjectNode n = JSON.createObjectNode();
    n.put("file", name + ".eml");
    n.put("outcome", "queued");
    n.put("messageId", messageId);
    n.put("outboxId", entry.id());
    n.put("at", clock.instant().toString());
    ArrayNode to = n.putArray("securedFor");
    (securedFor.isEmpty() && unsecuredTo.isEmpty() ? entry.recipients().stream().map(r -> r.address().toString())
        .toList() : securedFor).forEach(to::add);
    ArrayNode plainTo = n.putArray("unsecuredTo"); // risk 1's opt-in path: sent without S/MIME
    unsecuredTo.forEach(plainTo::add);
    ArrayNode d = n.putArray("dropped");
    for (RecipientCertificates.Rejected r : dropped) {
      d.addObject().put("address", r.address().toString()).put("reason", r.reason());
    }
    writeJson(queued.resolve(name + ".json"), n);
    SecureFiles.deleteQuietly(file); // the sent folder holds the plain copy
    return new Result(name, Outcome.QUEUED, Optional.of(messageId), "queued as " + entry.id()
        + (dropped.isEmpty() ? "" : ", " + dropped.size() + " recipient(s) dropped"));
  }

  private Result fail(Path file, String name, Optional<String> messageId, DirectException e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("file", name + ".eml");
    n.put("outcome", "failed");
    messageId.ifPresent(id -> n.put("messageId", id));
    n.put("problem", e.problem().name());
    n.put("exitCode", e.problem().exitCode());
    n.put("reason", e.getMessage());
    n.put("at", clock.instant().toString());
    writeJson(failed.resolve(name + ".json"), n);
    try {
      // kept, never dropped: the EHR (or a person) decides what to do with it
      Files.move(file, failed.resolve(name + ".eml"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException io) {
      throw new DirectException(Problem.IO, "cannot move " + file + " to " + failed + ": " + io.getMessage(), io);
    }
    return new Result(name, Outcome.FAILED, messageId, e.getMessage());
  }

  private static void writeJson(Path target, ObjectNode n) {
    try {
      SecureFiles.writeAtomically(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of strings always serialises
    }
  }

  private static List<Path> messages(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".eml") && Files.isRegularFile(p))
          .sorted(java.util.Comparator.comparing(DropFolder::modified).thenComparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  private static String baseName(Path p) {
    String f = p.getFileName().toString();
    return f.substring(0, f.length() - ".eml".length());
  }
}
