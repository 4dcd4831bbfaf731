package health.direct.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the agent says about itself reads like the settings, not like ISO-8601. */
class AgentTextTest {
  @Test
  void intervalsReadAsTheSettingsWriteThem() {
    assertThat(Agent.readable(Duration.ofSeconds(60))).isEqualTo("1m");
    assertThat(Agent.readable(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Agent.readable(Duration.ofDays(2))).isEqualTo("2d");
    assertThat(Agent.readable(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
