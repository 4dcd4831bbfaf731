package health.direct.transport.fetch;

import health.direct.core.mailbox.StoredMessage;
import java.util.List;

/**
 * What one fetch did: messages stored now (inbox or quarantine), how many were already stored,
 * and the ones left on the server for the next fetch because what came back was not what was
 * asked for (another client changed the folder meanwhile, or the download was cut short).
 */
public record FetchReport(List<StoredMessage> stored, int alreadyStored, boolean encrypted, List<String> leftForLater) {
  public FetchReport {
    stored = List.copyOf(stored);
    leftForLater = List.copyOf(leftForLater);
  }

  public FetchReport(List<StoredMessage> stored, int alreadyStored, boolean encrypted) {
    this(stored, alreadyStored, encrypted, List.of());
  }
}
