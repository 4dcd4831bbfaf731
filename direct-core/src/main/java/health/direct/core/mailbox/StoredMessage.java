package health.direct.core.mailbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** A message in the local mailbox: its index row and where its file is. */
public record StoredMessage(long id, Folder folder, Path file, Optional<Path> original, String source,
    MessageSummary summary, Instant storedAt, long size) {}
