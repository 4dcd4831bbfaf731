package health.direct.core.dlp;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One data-loss-prevention rule: a pattern for something that identifies a patient or describes
 * their care, an optional check of each match (NPI's Luhn digit), an optional word that must be
 * near (within {@code window} characters before), and its weight toward the threshold.
 */
public record PhiRule(String id, String description, Pattern pattern, Predicate<String> check, Pattern near,
    int window, int weight) {

  /** How many times the rule matches {@code text}. */
  public int count(String text) {
    Matcher m = pattern.matcher(text);
    int n = 0;
    while (m.find()) {
      String hit = m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group();
      if (!check.test(hit)) {
        continue;
      }
      if (near != null && !near.matcher(text.substring(Math.max(0, m.start() - window), m.start())).find()) {
        continue;
      }
      n++;
    }
    return n;
  }
}
