package health.direct.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageIdTest {
  @Test
  void generatedIdsAreUniqueInTheSendersDomainAndReadBackAsThemselves() {
    MessageId a = MessageId.generate("Hospital.Example");
    MessageId b = MessageId.generate("hospital.example");
    assertThat(a).isNotEqualTo(b);
    assertThat(a.toString()).startsWith("<").endsWith("@hospital.example>");
    assertThat(MessageId.parse("  " + a + "\r\n")).contains(a);
  }

  @Test
  void headerValuesWithCommentsOrWithoutBracketsAreRead() {
    assertThat(MessageId.parse("<x1@a.example> (sent by an EHR)")).contains(new MessageId("x1", "a.example"));
    assertThat(MessageId.parse("x1@a.example")).contains(new MessageId("x1", "a.example"));
  }

  @Test
  void valuesThatAreNotMessageIdsAreEmpty() {
    assertThat(MessageId.parse(null)).isEmpty();
    assertThat(MessageId.parse("")).isEmpty();
    assertThat(MessageId.parse("<no-at-sign>")).isEmpty();
    assertThat(MessageId.parse("<two words@a.example>")).isEmpty();
    assertThat(MessageId.parse("<@a.example>")).isEmpty();
  }
}
