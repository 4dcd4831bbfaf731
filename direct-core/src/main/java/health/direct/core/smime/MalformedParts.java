package health.direct.core.smime;

import health.direct.core.DirectException;
import health.direct.core.FaultWords;
import health.direct.core.Problem;
import health.direct.core.mime.MalformedEncodingException;

/**
 * Turns what a parser throws at a malformed part into words a person can act on: which part, and
 * what was wrong with it. Parser exceptions name their own classes; those names never reach the
 * user, because they say nothing about the message.
 */
final class MalformedParts {
  private MalformedParts() {}

  /** {@code part} ("the signature part") is malformed; {@code cause} says how. */
  static DirectException of(String part, Throwable cause) {
    return new DirectException(Problem.MALFORMED_INPUT, part + " is malformed: " + describe(cause), cause);
  }

  static String describe(Throwable e) {
    if (e instanceof MalformedEncodingException) {
      return e.getMessage();
    }
    String detail = FaultWords.scrub(FaultWords.rootMessage(e));
    if (FaultWords.endsTooEarly(e)) {
      return "it ends too early (the message was cut off, or a part of it is missing)";
    }
    if (FaultWords.programmingFault(e)) {
      // the parser tripped over a missing or mistyped element; its own words would be about its code
      return "its structure is not what CMS requires (an element is missing or of the wrong type)";
    }
    return "it is not valid CMS (ASN.1 BER/DER)" + (detail.isEmpty() ? "" : ": " + detail);
  }
}
