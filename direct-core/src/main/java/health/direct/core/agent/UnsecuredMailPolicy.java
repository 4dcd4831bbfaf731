package health.direct.core.agent;

import java.time.Duration;

/**
 * What to do with mail that arrives without S/MIME (the seed's risk 8): keep it in the quarantine
 * (default) or discard it outright, as the seed says many will choose (still counted, without
 * content); and optionally tell the sender, once per {@code noticeInterval}, that it was received
 * and not read.
 */
public record UnsecuredMailPolicy(boolean discard, boolean courtesyNotice, Duration noticeInterval) {
  public static UnsecuredMailPolicy defaults() {
    return new UnsecuredMailPolicy(false, false, Duration.ofHours(24));
  }
}
