package health.direct.web;

import java.util.Locale;

/** How a stored verdict is shown at a glance: the badge's words and its style class. */
final class Badges {
  private Badges() {}

  static String label(String verdict) {
    return verdict == null || verdict.isBlank() ? "unknown" : verdict.toLowerCase(Locale.ROOT);
  }

  static String styleClass(String verdict) {
    String v = label(verdict);
    return switch (v) {
      case "trusted" -> "badge trusted";
      case "unsecured" -> "badge unsecured";
      case "untrusted", "invalid", "failed" -> "badge untrusted";
      default -> "badge other";
    };
  }
}
