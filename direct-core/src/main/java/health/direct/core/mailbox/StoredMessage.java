package health.direct.core.mailbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A message in the local mailbox: its index row and where its file is. {@code number} is what the
 * user sees (message 3 of the inbox); {@code id} is the index's own key, unique across folders.
 */
public record StoredMessage(long id, Folder folder, long number, Path file, Optional<Path> original, String source,
    MessageSummary summary, Instant storedAt, long size) {}
