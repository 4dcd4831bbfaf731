package health.direct.transport.fetch;

import health.direct.core.mailbox.StoredMessage;
import java.util.List;

/** What one fetch did: messages stored now (inbox or quarantine), and how many were already stored. */
public record FetchReport(List<StoredMessage> stored, int alreadyStored, boolean encrypted) {
  public FetchReport {
    stored = List.copyOf(stored);
  }
}
