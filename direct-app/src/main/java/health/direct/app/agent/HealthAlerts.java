package health.direct.app.agent;

import health.direct.core.health.HealthCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Risk 5 (mail routed away, a denial of service) shows as silence; {@link HealthCheck} finds it,
 * and this rule decides when a long-running agent tells someone: each incident once when it starts
 * and once when it ends, never again every round while it lasts.
 *
 * <pre>{@code
 * HealthAlerts.Change c = alerts.update(healthCheck.check(mailbox, outbox));
 * c.started().forEach(t -> log("ALERT: " + t));
 * }</pre>
 */
public final class HealthAlerts {
  private final Map<String, String> active = new LinkedHashMap<>();

  /** The incidents that began and ended since the last report, by their text. */
  public record Change(List<String> started, List<String> resolved) {
    public Change {
      started = List.copyOf(started);
      resolved = List.copyOf(resolved);
    }
  }

  /** Takes this round's report and returns what changed since the last one. */
  public synchronized Change update(HealthCheck.Report report) {
    List<String> started = new ArrayList<>();
    Set<String> now = new HashSet<>();
    for (HealthCheck.Alert a : report.alertList()) {
      now.add(a.key());
      if (active.putIfAbsent(a.key(), a.text()) == null) {
        started.add(a.text());
      }
    }
    List<String> resolved = new ArrayList<>();
    active.entrySet().removeIf(e -> {
      if (!now.contains(e.getKey())) {
        resolved.add(e.getValue());
        return true;
      }
      return false;
    });
    return new Change(started, resolved);
  }
}
