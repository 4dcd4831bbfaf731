package health.direct.core.health;

import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed's risk 5 control: a denial of service or mail routed away shows up as silence. Reports
 * an alert when nothing has arrived for longer than {@code maxQuiet}, when a destination domain's
 * delivery notifications are overdue, or when the outbox has had a message waiting longer than
 * {@code stuckAfter}. Meant for cron or a monitoring system ({@code direct health}).
 *
 * <pre>{@code
 * HealthCheck.Report r = new HealthCheck(clock, Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(24))
 *     .check(mailbox, outbox);
 * }</pre>
 */
public final class HealthCheck {
  private final Clock clock;
  private final Duration maxQuiet;
  private final Duration stuckAfter;
  private final Duration window;

  /** One problem: {@code key} names the incident (stable while it lasts), {@code text} describes it now. */
  public record Alert(String key, String text) {}

  /** The findings: alerts (unhealthy) and notes (for information). */
  public record Report(List<Alert> alertList, List<String> notes) {
    public Report {
      alertList = List.copyOf(alertList);
      notes = List.copyOf(notes);
    }

    public List<String> alerts() {
      return alertList.stream().map(Alert::text).toList();
    }

    public boolean healthy() {
      return alertList.isEmpty();
    }
  }

  /**
   * @param maxQuiet longest time without any message arriving
   * @param stuckAfter longest time a message may wait in the outbox
   * @param window how far back failed notifications count
   */
  public HealthCheck(Clock clock, Duration maxQuiet, Duration stuckAfter, Duration window) {
    this.clock = clock;
    this.maxQuiet = maxQuiet;
    this.stuckAfter = stuckAfter;
    this.window = window;
  }

  public Report check(Mailbox mailbox, Outbox outbox) {
    Instant now = clock.instant();
    List<Alert> alerts = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    var last = mailbox.lastStored(Folder.INBOX, Folder.QUARANTINE, Folder.RECEIPTS);
    if (last.isEmpty()) {
      notes.add("nothing has been received yet");
    } else if (Duration.between(last.get(), now).compareTo(maxQuiet) > 0) {
      alerts.add(new Alert("quiet:" + last.get(), "no message has arrived for " + hours(Duration.between(last.get(), now))
          + " (last at " + last.get() + "); mail may be routed away from this mailbox"));
    } else {
      notes.add("last message arrived at " + last.get());
    }
    Map<String, Integer> overdue = new TreeMap<>();
    int waiting = 0;
    for (OutboxEntry e : outbox.list()) {
      for (OutboxEntry.RecipientState r : e.recipients()) {
        boolean late = r.receipt() == OutboxEntry.Receipt.TIMED_OUT && r.updatedAt().isAfter(now.minus(window))
            || r.receipt().awaiting() && r.receiptDeadline().map(now::isAfter).orElse(false);
        if (late) {
          overdue.merge(r.address().domain(), 1, Integer::sum);
        }
        if (!r.state().finished()) {
          waiting++;
          if (e.createdAt().isBefore(now.minus(stuckAfter))) {
            alerts.add(new Alert("stuck:" + e.id() + ":" + r.address(), "the outbox has held a message for "
                + r.address() + " since " + e.createdAt() + " (" + r.attempts() + " attempt(s); last: "
                + r.lastResult() + ")"));
          }
        }
      }
    }
    overdue.forEach((domain, n) -> alerts.add(new Alert("overdue:" + domain, "delivery notifications from " + domain
        + " are overdue for " + n + " message(s) in the last " + hours(window))));
    notes.add(waiting + " recipient(s) waiting in the outbox");
    return new Report(alerts, notes);
  }

  private static String hours(Duration d) {
    return d.toHours() >= 1 ? d.toHours() + " h" : d.toMinutes() + " min";
  }
}
