package health.direct.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import health.direct.core.health.HealthCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Risk 5: an incident is told once when it starts and once when it ends. */
class HealthAlertsTest {
  private static HealthCheck.Report report(HealthCheck.Alert... alerts) {
    return new HealthCheck.Report(List.of(alerts), List.of());
  }

  @Test
  void anIncidentIsReportedOnceWhileItLastsEvenWhenItsTextChanges() {
    HealthAlerts alerts = new HealthAlerts();
    HealthAlerts.Change first = alerts.update(report(new HealthCheck.Alert("quiet", "nothing arrived for 25 h")));
    HealthAlerts.Change second = alerts.update(report(new HealthCheck.Alert("quiet", "nothing arrived for 26 h")));

    assertThat(first.started()).containsExactly("nothing arrived for 25 h");
    assertThat(second.started()).isEmpty();
    assertThat(second.resolved()).isEmpty();
  }

  @Test
  void anIncidentThatEndsIsReportedResolvedOnceAndCanStartAgain() {
    HealthAlerts alerts = new HealthAlerts();
    alerts.update(report(new HealthCheck.Alert("overdue:clinic.example", "clinic.example: 2 notifications overdue")));

    HealthAlerts.Change ended = alerts.update(report());
    HealthAlerts.Change quiet = alerts.update(report());
    HealthAlerts.Change again = alerts.update(report(new HealthCheck.Alert("overdue:clinic.example", "back")));

    assertThat(ended.resolved()).containsExactly("clinic.example: 2 notifications overdue");
    assertThat(quiet.resolved()).isEmpty();
    assertThat(again.started()).containsExactly("back");
  }

  @Test
  void separateIncidentsAreTrackedApart() {
    HealthAlerts alerts = new HealthAlerts();
    alerts.update(report(new HealthCheck.Alert("a", "A"), new HealthCheck.Alert("b", "B")));

    HealthAlerts.Change c = alerts.update(report(new HealthCheck.Alert("b", "B"), new HealthCheck.Alert("c", "C")));

    assertThat(c.started()).containsExactly("C");
    assertThat(c.resolved()).containsExactly("A");
  }
}
