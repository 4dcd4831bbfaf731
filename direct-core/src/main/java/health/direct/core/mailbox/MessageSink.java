package health.direct.core.mailbox;

import java.nio.file.Path;

/**
 * Where fetched messages go. A fetcher asks {@link #contains} first (so a re-fetch is a no-op)
 * and removes a message from the server only after {@link #accept} has returned: by then the
 * message is on disk.
 */
public interface MessageSink {

  boolean contains(String source);

  /** Stores the message that arrived as {@code raw}; durable when this returns. */
  StoredMessage accept(String source, Path raw);
}
