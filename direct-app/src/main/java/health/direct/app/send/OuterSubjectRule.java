package health.direct.app.send;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.dlp.DlpReport;
import health.direct.core.dlp.PhiScanner;
import health.direct.core.smime.SealOptions;

/**
 * Risk 4 (PHI in the Subject): the real Subject travels encrypted inside the message (AS-04), and
 * the outer one, the one header every mail server sees, is the configured {@code seal.outer-subject}.
 * This rule refuses an outer Subject that itself looks like PHI, before anything is sealed.
 *
 * <pre>{@code
 * new OuterSubjectRule(session.dlp()).check(config.sealOptions());
 * }</pre>
 */
public final class OuterSubjectRule {
  private final PhiScanner scanner;

  public OuterSubjectRule(PhiScanner scanner) {
    this.scanner = scanner;
  }

  /** Returns quietly when the outer Subject is neutral; throws {@link Problem#PHI_FOUND} otherwise. */
  public void check(SealOptions options) {
    DlpReport subject = scanner.scanText("seal.outer-subject", options.outerSubject());
    if (!subject.passed()) {
      throw new DirectException(Problem.PHI_FOUND, "the configured outer Subject (seal.outer-subject) looks like PHI ("
          + String.join("; ", subject.findings().stream().map(Object::toString).toList())
          + "); every mail server would see it: use neutral text such as 'Secure health message'");
    }
  }
}
