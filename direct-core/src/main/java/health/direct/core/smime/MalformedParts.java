package health.direct.core.smime;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.mime.MalformedEncodingException;
import java.io.EOFException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns what a parser throws at a malformed part into words a person can act on: which part, and
 * what was wrong with it. Parser exceptions name their own classes; those names never reach the
 * user, because they say nothing about the message.
 */
final class MalformedParts {
  private static final Pattern CLASS_NAME = Pattern.compile("(?:class )?\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][\\w$]*");

  private MalformedParts() {}

  /** {@code part} ("the signature part") is malformed; {@code cause} says how. */
  static DirectException of(String part, Throwable cause) {
    return new DirectException(Problem.MALFORMED_INPUT, part + " is malformed: " + describe(cause), cause);
  }

  static String describe(Throwable e) {
    if (e instanceof MalformedEncodingException) {
      return e.getMessage();
    }
    String detail = scrub(MessageOpener.rootMessage(e));
    if (truncated(e, detail)) {
      return "it ends too early (the message was cut off, or a part of it is missing)";
    }
    if (programmingFault(root(e))) {
      // the parser tripped over a missing or mistyped element; its own words would be about its code
      return "its structure is not what CMS requires (an element is missing or of the wrong type)";
    }
    return "it is not valid CMS (ASN.1 BER/DER)" + (detail.isEmpty() ? "" : ": " + detail);
  }

  private static Throwable root(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static boolean programmingFault(Throwable t) {
    return t instanceof NullPointerException || t instanceof ClassCastException
        || t instanceof IndexOutOfBoundsException || t instanceof IllegalStateException;
  }

  private static boolean truncated(Throwable e, String detail) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof EOFException) {
        return true;
      }
    }
    String d = detail.toLowerCase(Locale.ROOT);
    return d.contains("eof") || d.contains("end of contents") || d.contains("unexpected end") || d.contains("truncated");
  }

  /** The parser's message without Java class names, and nothing when only "null" is left. */
  static String scrub(String message) {
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
