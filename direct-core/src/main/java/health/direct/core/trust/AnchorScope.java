package health.direct.core.trust;

import health.direct.core.address.DirectAddress;
import java.util.Locale;

/**
 * Which local addresses a trust anchor serves (TR-01): all of them, one domain, or one address.
 * Written as {@code any}, {@code domain:hospital.example} or {@code alice@hospital.example}.
 */
public record AnchorScope(Kind kind, String value) {

  /** The breadth of a scope. */
  public enum Kind { ANY, DOMAIN, ADDRESS }

  public static final AnchorScope ANY = new AnchorScope(Kind.ANY, "");

  public AnchorScope {
    value = value == null ? "" : value.toLowerCase(Locale.ROOT);
  }

  public static AnchorScope parse(String text) {
    if (text == null || text.isBlank() || text.equalsIgnoreCase("any")) {
      return ANY;
    }
    if (text.regionMatches(true, 0, "domain:", 0, 7)) {
      String d = text.substring(7).trim();
      DirectAddress.parse("x@" + d); // validates the host name
      return new AnchorScope(Kind.DOMAIN, d);
    }
    if (text.contains("@")) {
      return new AnchorScope(Kind.ADDRESS, DirectAddress.parse(text).canonical());
    }
    DirectAddress.parse("x@" + text);
    return new AnchorScope(Kind.DOMAIN, text.trim());
  }

  public boolean appliesTo(DirectAddress local) {
    return switch (kind) {
      case ANY -> true;
      case DOMAIN -> local != null && local.domain().equals(value);
      case ADDRESS -> local != null && local.canonical().equals(value);
    };
  }

  /** True for scopes covering every address of {@code domain}: any, or that domain. */
  public boolean appliesToDomain(String domain) {
    return switch (kind) {
      case ANY -> true;
      case DOMAIN -> value.equalsIgnoreCase(domain);
      case ADDRESS -> false;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ANY -> "any";
      case DOMAIN -> "domain:" + value;
      case ADDRESS -> value;
    };
  }
}
