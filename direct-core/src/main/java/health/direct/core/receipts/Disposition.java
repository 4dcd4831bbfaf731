package health.direct.core.receipts;

import java.util.Locale;
import java.util.Optional;

/** The disposition types Direct uses (RFC 8098 section 3.2.6; DN-03, DN-04, DN-06). */
public enum Disposition {
  PROCESSED, DISPATCHED, FAILED, DISPLAYED, DELETED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads the type from a Disposition field value, leniently (case, spacing: DN-09). */
  public static Optional<Disposition> fromField(String value) {
    if (value == null) {
      return Optional.empty();
    }
    int semi = value.indexOf(';');
    if (semi < 0) {
      return Optional.empty();
    }
    String type = value.substring(semi + 1).trim();
    int slash = type.indexOf('/');
    if (slash >= 0) {
      type = type.substring(0, slash); // "failed/error" style modifiers
    }
    type = type.trim().toUpperCase(Locale.ROOT);
    try {
      return Optional.of(Disposition.valueOf(type));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
