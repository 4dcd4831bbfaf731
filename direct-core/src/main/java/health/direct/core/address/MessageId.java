package health.direct.core.address;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A Message-ID (RFC 5322 msg-id, {@code <left@right>}): the one place where new ones are made, so
 * that every message, notification and courtesy notice the client writes is named the same way,
 * and the one place where a header's value is read back.
 *
 * <pre>{@code
 * MessageId id = MessageId.generate("hospital.example");   // <3f1c...@hospital.example>
 * Optional<MessageId> same = MessageId.parse(" " + id + " ");
 * }</pre>
 */
public record MessageId(String left, String right) {
  public MessageId {
    if (left.isEmpty() || right.isEmpty() || (left + right).matches(".*[\\s<>].*")) {
      throw new IllegalArgumentException("not a Message-ID: <" + left + "@" + right + ">");
    }
  }

  /** A new, globally unique Message-ID in {@code domain} (the sender's, so replies and MDNs find it). */
  public static MessageId generate(String domain) {
    return new MessageId(UUID.randomUUID().toString(), domain.toLowerCase(Locale.ROOT));
  }

  /**
   * The Message-ID in a header value: surrounding space and comments left aside; a value without
   * angle brackets is accepted, as some senders write it so. Empty when the value is not one.
   */
  public static Optional<MessageId> parse(String headerValue) {
    if (headerValue == null) {
      return Optional.empty();
    }
    String v = headerValue.replaceAll("\\([^)]*\\)", "").trim();
    if (v.startsWith("<") && v.endsWith(">")) {
      v = v.substring(1, v.length() - 1).trim();
    }
    int at = v.lastIndexOf('@');
    if (at <= 0 || at == v.length() - 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(new MessageId(v.substring(0, at), v.substring(at + 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The header form, with angle brackets. */
  @Override
  public String toString() {
    return "<" + left + "@" + right + ">";
  }
}
