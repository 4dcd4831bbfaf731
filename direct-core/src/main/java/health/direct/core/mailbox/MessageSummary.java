package health.direct.core.mailbox;

import java.time.Instant;
import java.util.Optional;

/**
 * What the index keeps about a stored message: headers for listing, and for received mail the
 * security verdict ("trusted", or why it was quarantined).
 */
public record MessageSummary(String messageId, String from, String to, String subject, Optional<Instant> date,
    String verdict, String detail) {}
