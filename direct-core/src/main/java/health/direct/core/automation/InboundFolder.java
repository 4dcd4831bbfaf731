package health.direct.core.automation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.StoredMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The receiving half of the EHR drop folder: every trusted message that reaches the inbox is
 * copied, decrypted, to a folder the EHR imports from, as {@code ID.eml} and then {@code ID.json}
 * (written last, so its presence means the pair is complete), where ID is the inbox number.
 * Delivery to the folder is at least once: the last exported number is recorded after each
 * message, so a crash in between exports that message again under the same name, which lets the
 * EHR recognise it. Untrusted and unsecured mail stays in the quarantine; notifications stay in
 * the receipts folder.
 *
 * <pre>{@code
 * int n = new InboundFolder(Path.of("/var/spool/direct/incoming"), mailbox).export();
 * }</pre>
 */
public final class InboundFolder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Path marker;
  private final Mailbox mailbox;

  public InboundFolder(Path root, Mailbox mailbox) {
    this.root = SecureFiles.privateDirectory(root);
    this.marker = root.resolve(".exported");
    this.mailbox = mailbox;
  }

  /** Exports every inbox message newer than the last one exported; returns how many it exported. */
  public int export() {
    long last = lastExported();
    int n = 0;
    for (StoredMessage m : mailbox.list(Folder.INBOX)) {
      if (m.id() <= last) {
        continue;
      }
      String name = Long.toString(m.id());
      SecureFiles.writeAtomically(root.resolve(name + ".eml"), out -> Files.copy(m.file(), out));
      ObjectNode j = JSON.createObjectNode();
      j.put("id", m.id());
      j.put("file", name + ".eml");
      j.put("messageId", m.summary().messageId());
      j.put("from", m.summary().from());
      j.put("to", m.summary().to());
      m.summary().date().ifPresent(d -> j.put("date", d.toString()));
      j.put("verdict", m.summary().verdict());
      j.put("detail", m.summary().detail());
      j.put("storedAt", m.storedAt().toString());
      try {
        SecureFiles.writeAtomically(root.resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(j));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e); // a tree of strings always serialises
      }
      SecureFiles.writeAtomically(marker, name.getBytes(StandardCharsets.US_ASCII));
      n++;
    }
    return n;
  }

  private long lastExported() {
    if (!Files.exists(marker)) {
      return 0;
    }
    try {
      return Long.parseLong(Files.readString(marker, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      throw new DirectException(Problem.IO, "cannot read " + marker + " (the last message exported): " + e.getMessage()
          + "; remove it to export the whole inbox again", e);
    }
  }
}
