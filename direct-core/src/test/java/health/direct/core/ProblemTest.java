package health.direct.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exit codes are a public contract (docs/cli.md): pinned here so none moves unnoticed. */
class ProblemTest {
  @Test
  void exitCodesAreTheDocumentedOnesAndDistinct() {
    Map<Problem, Integer> documented = new LinkedHashMap<>();
    documented.put(Problem.INTERNAL, 1);
    documented.put(Problem.USAGE, 2);
    documented.put(Problem.CONFIG, 3);
    documented.put(Problem.MALFORMED_INPUT, 4);
    documented.put(Problem.UNSECURED, 5);
    documented.put(Problem.NO_DECRYPTION_KEY, 6);
    documented.put(Problem.INVALID_SIGNATURE, 7);
    documented.put(Problem.UNTRUSTED, 8);
    documented.put(Problem.SIGNER_NOT_BOUND, 9);
    documented.put(Problem.NO_IDENTITY, 10);
    documented.put(Problem.NO_TRUSTED_RECIPIENT, 11);
    documented.put(Problem.STORE, 12);
    documented.put(Problem.IO, 13);
    documented.put(Problem.NOT_FOUND, 14);
    documented.put(Problem.DELIVERY_FAILED, 15);
    documented.put(Problem.UNHEALTHY, 16);
    documented.put(Problem.PHI_FOUND, 17);
    documented.put(Problem.NOT_SENT_TO_ALL, 18);
    documented.put(Problem.LOGIN_REFUSED, 19);
    documented.put(Problem.BUSY, 20);
    assertThat(documented).hasSize(Problem.values().length);
    documented.forEach((p, code) -> assertThat(p.exitCode()).as(p.name()).isEqualTo(code));
    assertThat(Arrays.stream(Problem.values()).map(Problem::exitCode).distinct().count())
        .isEqualTo(Problem.values().length);
  }
}
