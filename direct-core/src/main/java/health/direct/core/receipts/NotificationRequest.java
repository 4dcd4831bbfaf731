package health.direct.core.receipts;

import jakarta.mail.internet.InternetHeaders;
import java.util.Locale;

/**
 * What a received message asks for in delivery notifications: {@code timelyAndReliable} when its
 * Disposition-Notification-Options carry {@code X-DIRECT-FINAL-DESTINATION-DELIVERY=optional,true}
 * (DN-01), read leniently; anything malformed counts as not asked (DN-05). Direct receivers send a
 * processed MDN whether or not it was asked for (AS-08).
 */
public record NotificationRequest(boolean timelyAndReliable, boolean autoSubmitted) {

  public static final String OPTIONS_HEADER = "Disposition-Notification-Options";
  public static final String TIMELY_AND_RELIABLE = "X-DIRECT-FINAL-DESTINATION-DELIVERY=optional,true";

  public static NotificationRequest of(InternetHeaders h) {
    String options = h.getHeader(OPTIONS_HEADER, ";");
    boolean tr = false;
    if (options != null) {
      for (String param : options.replaceAll("\\s+", "").split(";")) {
        int eq = param.indexOf('=');
        if (eq > 0 && param.substring(0, eq).equalsIgnoreCase("X-DIRECT-FINAL-DESTINATION-DELIVERY")) {
          String[] v = param.substring(eq + 1).toLowerCase(Locale.ROOT).split(",");
          tr = v.length == 2 && (v[0].equals("optional") || v[0].equals("required")) && v[1].equals("true");
        }
      }
    }
    String auto = h.getHeader("Auto-Submitted", ",");
    boolean autoSubmitted = auto != null && !auto.trim().toLowerCase(Locale.ROOT).startsWith("no");
    return new NotificationRequest(tr, autoSubmitted);
  }
}
