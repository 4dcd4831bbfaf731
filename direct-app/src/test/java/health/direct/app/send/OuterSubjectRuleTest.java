package health.direct.app.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.dlp.PhiRules;
import health.direct.core.dlp.PhiScanner;
import health.direct.core.smime.SealOptions;
import org.junit.jupiter.api.Test;

/** Risk 4: the outer Subject, the one header every mail server sees, must not look like PHI. */
class OuterSubjectRuleTest {
  private final OuterSubjectRule rule = new OuterSubjectRule(new PhiScanner(PhiRules.defaults()));

  @Test
  void theDefaultOuterSubjectPasses() {
    assertThatCode(() -> rule.check(SealOptions.builder().build())).doesNotThrowAnyException();
  }

  @Test
  void anOuterSubjectWithAMedicalRecordNumberIsRefusedWithWhatToUseInstead() {
    SealOptions phi = SealOptions.builder().outerSubject("MRN: 00123456 DOB: 03/14/1962").build();

    assertThatThrownBy(() -> rule.check(phi)).isInstanceOfSatisfying(DirectException.class, e -> {
      assertThat(e.problem()).isEqualTo(Problem.PHI_FOUND);
      assertThat(e.getMessage()).contains("seal.outer-subject").contains("Secure health message");
    });
  }
}
