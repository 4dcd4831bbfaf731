package health.direct.core;

import java.io.EOFException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a parser's exception says, in words for a person: Java class names removed (they say
 * nothing about the input), a wrapped cause's repeated words said once, and a cut-off input
 * recognised as such whatever the parser calls it.
 *
 * <pre>{@code
 * throw new DirectException(Problem.MALFORMED_INPUT, "the CRL is malformed: " + FaultWords.scrub(e.getMessage()), e);
 * }</pre>
 */
public final class FaultWords {
  private static final Pattern CLASS_NAME = Pattern.compile("(?:class )?\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][\\w$]*");

  private FaultWords() {}

  /** The message of {@code t}, followed by its innermost cause's when that is another exception. */
  public static String rootMessage(Throwable t) {
    Throwable c = root(t);
    return c == t ? String.valueOf(t.getMessage()) : t.getMessage() + ": " + c.getMessage();
  }

  /** The innermost cause. */
  public static Throwable root(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /** The parser tripped over its own assumptions (a missing or mistyped element), not a named fault. */
  public static boolean programmingFault(Throwable e) {
    Throwable t = root(e);
    return t instanceof NullPointerException || t instanceof ClassCastException
        || t instanceof IndexOutOfBoundsException || t instanceof IllegalStateException;
  }

  /** The input ended before the parser was done. */
  public static boolean endsTooEarly(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof EOFException) {
        return true;
      }
    }
    String d = scrub(rootMessage(e)).toLowerCase(Locale.ROOT);
    return d.contains("eof") || d.contains("end of contents") || d.contains("unexpected end")
        || d.contains("truncated") || d.contains("incomplete");
  }

  /** The parser's message without Java class names, and nothing when only "null" is left. */
  public static String scrub(String message) {
    if (message == null) {
      return "";
    }
    String s = CLASS_NAME.matcher(message).replaceAll("").replaceAll("\\s+", " ").replaceAll("(: )+", ": ").trim();
    s = s.replaceAll("^[:;, ]+|[:;, ]+$", "").replaceAll("\\b(DL|DER|BER) object\\b", "ASN.1 element");
    // a wrapped exception repeats its cause's words: say them once
    int half = s.indexOf(": ");
    while (half > 0 && s.substring(half + 2).startsWith(s.substring(0, half))) {
      s = s.substring(half + 2);
      half = s.indexOf(": ");
    }
    return s.equalsIgnoreCase("null") || s.equalsIgnoreCase("null: null") ? "" : s;
  }
}
