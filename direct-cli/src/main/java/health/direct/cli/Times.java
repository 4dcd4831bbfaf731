package health.direct.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * How times are shown: to people in their own time zone ({@code TZ}, else the system's) with the
 * zone named; in JSON as ISO-8601 UTC with milliseconds, whatever the zone.
 */
final class Times {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);
  private static final DateTimeFormatter LOCAL_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z",
      Locale.ROOT);
  private static final DateTimeFormatter JSON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private Times() {}

  /** The zone {@code TZ} names ("Europe/Berlin", ":America/New_York", "UTC"), else the system's. */
  static ZoneId zone(Map<String, String> env) {
    String tz = env.get("TZ");
    if (tz != null && !tz.isBlank()) {
      try {
        return ZoneId.of(tz.startsWith(":") ? tz.substring(1) : tz);
      } catch (DateTimeException e) {
        // a POSIX rule such as "EST5EDT,M3.2.0,M11.1.0" Java cannot read: the system's zone is the best guess
      }
    }
    return ZoneId.systemDefault();
  }

  /** "2026-12-02 09:03 EST". */
  static String local(Instant t, ZoneId zone) {
    return LOCAL.format(t.atZone(zone));
  }

  /** "2026-12-02 09:03:41 EST", for timelines where seconds matter. */
  static String localSeconds(Instant t, ZoneId zone) {
    return LOCAL_SECONDS.format(t.atZone(zone));
  }

  /** "2026-12-02T14:03:41.125Z". */
  static String json(Instant t) {
    return JSON.format(t.truncatedTo(ChronoUnit.MILLIS));
  }
}
