package health.direct.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import health.direct.core.DirectException;
import health.direct.core.Fixture;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.address.MessageId;
import health.direct.core.incoming.IncomingProcessor;
import health.direct.core.incoming.OpenResult;
import health.direct.core.receipts.NotificationParser;
import health.direct.core.store.HomeConfig;
import health.direct.testkit.JavaNames;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Fuzz targets for what parses input from strangers: the open path (MIME and CMS), delivery
 * notifications (MDN and DSN), addresses and Message-IDs, and the settings file. In the normal test run each replays its
 * committed inputs (src/test/resources/.../ParserFuzzTestInputs/METHOD/) and finishes at once; to
 * fuzz one for real, see docs/reliability.md. A finding is anything other than a verdict in words:
 * an exception escaping, or a message that names a Java class.
 */
class ParserFuzzTest {
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));
  static final Fixture fx = new Fixture(pki);
  static final Path dir;
  static final IncomingProcessor receiver;

  static {
    try {
      dir = Files.createTempDirectory("direct-fuzz");
      receiver = fx.receiver(dir.resolve("work"), bob);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path file(byte[] data) throws IOException {
    Path f = dir.resolve("input.eml");
    Files.write(f, data);
    return f;
  }

  /** The message names no Java class, apart from what it quotes of the input itself. */
  private static void assertNoClassNames(String message, String input) {
    assertThat(JavaNames.in(message, input)).as(message).isEmpty();
  }

  @FuzzTest(maxDuration = "10m")
  void openingAnyBytesGivesAVerdictInWords(byte[] data) throws IOException {
    OpenResult r = receiver.open(file(data), Optional.empty());
    assertNoClassNames(r.reason(), new String(data, java.nio.charset.StandardCharsets.ISO_8859_1));
    if (r instanceof OpenResult.Failed f) {
      assertThat(f.kind()).isIn(Problem.MALFORMED_INPUT, Problem.NO_DECRYPTION_KEY, Problem.IO);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void anyNotificationIsReadOrRefusedQuietly(byte[] data) throws IOException {
    NotificationParser.parse(file(data)); // empty or a notification; never an exception
  }

  @FuzzTest(maxDuration = "5m")
  void anyAddressIsParsedOrRefusedInWords(String text) {
    try {
      DirectAddress a = DirectAddress.parse(text);
      assertThat(DirectAddress.parse(a.toString())).isEqualTo(a);
    } catch (DirectException e) {
      assertThat(e.problem()).isEqualTo(Problem.MALFORMED_INPUT);
      assertNoClassNames(e.getMessage(), text);
    }
    MessageId.parse(text).ifPresent(id -> assertThat(MessageId.parse(id.toString())).contains(id));
  }

  @FuzzTest(maxDuration = "5m")
  void anySettingsFileIsReadOrRefusedInWords(byte[] data) throws IOException {
    Path f = dir.resolve("settings.properties");
    Files.write(f, data);
    try {
      HomeConfig.load(f);
    } catch (DirectException e) {
      assertThat(e.problem()).isEqualTo(Problem.CONFIG);
      assertNoClassNames(e.getMessage(), new String(data, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
  }
}
