package health.direct.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** AS-01: Direct addresses, their parsing, comparison and DNS names (CD-01). */
class DirectAddressTest {

  @Test
  void parsesDisplayNameFormAndLowerCasesTheDomain() {
    DirectAddress a = DirectAddress.parse("\"Dr. Bob\" <Bob.Smith@Clinic.Example>");
    assertThat(a.localPart()).isEqualTo("Bob.Smith");
    assertThat(a.domain()).isEqualTo("clinic.example");
    assertThat(a.addressBoundCertName()).isEqualTo("Bob.Smith.clinic.example");
  }

  @Test
  void mailboxesCompareWithoutRegardToCase() {
    assertThat(DirectAddress.parse("BOB@clinic.example").sameMailbox(DirectAddress.parse("bob@CLINIC.example"))).isTrue();
    assertThat(DirectAddress.parse("bob@clinic.example").sameMailbox(DirectAddress.parse("bob2@clinic.example"))).isFalse();
    assertThat(DirectAddress.parse("Bob@Clinic.example").canonical()).isEqualTo("bob@clinic.example");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bob                     | there is no '@'",
      "bob@                    | the domain is empty",
      "@clinic.example         | the local part is empty",
      "bob smith@clinic.example | space",
      "bob@clinic..example     | not a valid host name",
      "bob@-clinic.example     | not a valid host name",
      ".bob@clinic.example     | not a valid mailbox name",
      "<bob@clinic.example     | without a closing"})
  void rejectsWhatIsNotAnAddressSayingWhy(String input, String reason) {
    assertThatThrownBy(() -> DirectAddress.parse(input))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageContaining("'" + input + "' is not a Direct address")
        .hasMessageContaining(reason);
  }
}
