package health.direct.testkit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Java internals in a message meant for a person: an exception's class name or a package
 * name. What the message quotes of the input itself does not count, since a reason may say which
 * text was refused.
 *
 * <pre>{@code
 * assertThat(JavaNames.in(e.getMessage(), inputText)).isEmpty();
 * }</pre>
 */
public final class JavaNames {
  private static final Pattern NAME =
      Pattern.compile("\\w*Exception\\b|\\b(?:java|javax|jdk|sun|org\\.bouncycastle|org\\.xbill)\\.[\\w.]+");

  private JavaNames() {}

  /** The first Java name in {@code message} that {@code input} does not contain. */
  public static Optional<String> in(String message, String input) {
    Matcher m = NAME.matcher(message);
    while (m.find()) {
      if (!input.contains(m.group())) {
        return Optional.of(m.group());
      }
    }
    return Optional.empty();
  }
}
