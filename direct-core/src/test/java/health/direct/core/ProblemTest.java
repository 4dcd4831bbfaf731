package health.direct.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exit codes and HTTP statuses are a public contract: the table in docs/cli.md is read here
 * and must name every problem with the code and status the enum gives it.
 */
class ProblemTest {
  private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| (\\d{3}) \\|", Pattern.MULTILINE);

  @Test
  void everyProblemHasTheExitCodeAndHttpStatusTheDocumentedTableGives() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "cli.md"));
    Map<Integer, Integer> table = new LinkedHashMap<>();
    Matcher m = ROW.matcher(doc);
    while (m.find()) {
      table.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    assertThat(table).containsEntry(0, 200).hasSize(Problem.values().length + 1);
    for (Problem p : Problem.values()) {
      assertThat(table.get(p.exitCode())).as(p.name()).isEqualTo(p.httpStatus());
    }
    assertThat(Problem.NOT_FOUND.exitCode()).isEqualTo(14);
    assertThat(Problem.NOT_FOUND.slug()).isEqualTo("not-found");
  }

  @Test
  void exitCodesAreDistinctAndNeverZero() {
    assertThat(Arrays.stream(Problem.values()).map(Problem::exitCode).distinct().count())
        .isEqualTo(Problem.values().length);
    assertThat(Arrays.stream(Problem.values()).mapToInt(Problem::exitCode).min().orElseThrow()).isEqualTo(1);
    assertThat(Arrays.stream(Problem.values()).allMatch(p -> p.httpStatus() >= 400 && p.httpStatus() < 600)).isTrue();
  }
}
