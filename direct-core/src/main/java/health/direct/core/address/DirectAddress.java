package health.direct.core.address;

import java.util.Locale;

/**
 * A Direct address {@code endpoint@health-domain}: an RFC 5321 mailbox (AS-01). The domain is kept
 * in lower case; the local part as written, but compared case-insensitively, which is how Direct
 * certificate binding treats it.
 *
 * <pre>{@code
 * DirectAddress bob = DirectAddress.parse("Bob@B.Example");
 * bob.domain();                 // "b.example"
 * bob.addressBoundCertName();   // "Bob.b.example" (CD-01)
 * }</pre>
 */
public record DirectAddress(String localPart, String domain) {

  public DirectAddress {
    if (localPart == null || localPart.isEmpty()) {
      throw new InvalidAddressException(localPart + "@" + domain, "the local part is empty");
    }
    if (domain == null || domain.isEmpty()) {
      throw new InvalidAddressException(localPart + "@", "the domain is empty");
    }
    domain = domain.toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a bare address or a display-name form ({@code "Dr Bob" <bob@b.example>}).
   *
   * @throws InvalidAddressException naming what is wrong
   */
  public static DirectAddress parse(String input) {
    if (input == null) {
      throw new InvalidAddressException("null", "no address given");
    }
    String s = input.trim();
    int lt = s.lastIndexOf('<');
    if (lt >= 0) {
      int gt = s.indexOf('>', lt);
      if (gt < 0) {
        throw new InvalidAddressException(input, "'<' without a closing '>'");
      }
      s = s.substring(lt + 1, gt).trim();
    }
    int at = s.lastIndexOf('@');
    if (at < 0) {
      throw new InvalidAddressException(input, "there is no '@'");
    }
    String local = s.substring(0, at);
    String domain = s.substring(at + 1);
    if (local.isEmpty()) {
      throw new InvalidAddressException(input, "the local part is empty");
    }
    if (domain.isEmpty()) {
      throw new InvalidAddressException(input, "the domain is empty");
    }
    if (local.length() > 64) {
      throw new InvalidAddressException(input, "the local part is longer than 64 characters");
    }
    if (domain.length() > 253) {
      throw new InvalidAddressException(input, "the domain is longer than 253 characters");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new InvalidAddressException(input, "it contains a space, control or non-ASCII character");
      }
    }
    if (local.contains("@") || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      throw new InvalidAddressException(input, "the local part '" + local + "' is not a valid mailbox name");
    }
    for (String label : domain.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || !label.matches("[A-Za-z0-9-]+")
          || label.startsWith("-") || label.endsWith("-")) {
        throw new InvalidAddressException(input, "the domain '" + domain + "' is not a valid host name");
      }
    }
    return new DirectAddress(local, domain);
  }

  /** The DNS name of the address-bound CERT query: '@' replaced by '.' (CD-01). */
  public String addressBoundCertName() {
    return localPart + "." + domain;
  }

  /** Case-insensitive equality of the whole address, as certificate binding requires (AS-01). */
  public boolean sameMailbox(DirectAddress other) {
    return other != null && domain.equals(other.domain) && localPart.equalsIgnoreCase(other.localPart);
  }

  /** A key usable in maps: the address in lower case. */
  public String canonical() {
    return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
  }

  @Override
  public String toString() {
    return localPart + "@" + domain;
  }
}
