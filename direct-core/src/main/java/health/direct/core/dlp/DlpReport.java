package health.direct.core.dlp;

import java.util.List;

/**
 * What the DLP scan found: per place (subject, body, an attachment) and rule, how many matches;
 * never the matched text itself, which would be the PHI. {@code passed} when the score stays under
 * the threshold.
 */
public record DlpReport(List<Finding> findings, int score, int threshold, List<String> notes) {
  public DlpReport {
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }

  /** {@code count} matches of rule {@code rule} in {@code where}. */
  public record Finding(String where, String rule, String description, int count, int weight) {
    @Override
    public String toString() {
      return where + ": " + count + " x " + description;
    }
  }

  public boolean passed() {
    return score < threshold;
  }
}
