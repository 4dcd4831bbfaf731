package health.direct.core.policy;

import java.time.Duration;

/**
 * What to do with mail that arrives without S/MIME (the seed's risk 8): keep it in the quarantine
 * (default) or discard it outright, as the seed says many will choose (still counted, without
 * content); and optionally tell the sender, once per {@code noticeInterval}, that it was received
 * and not read. On the sending side (risk 1), {@code sendToNonDirect} lets a message go without
 * S/MIME to addresses that publish no certificate, and only after the DLP check passes.
 */
public record UnsecuredMailPolicy(boolean discard, boolean courtesyNotice, Duration noticeInterval,
    boolean sendToNonDirect) {
  public static UnsecuredMailPolicy defaults() {
    return new UnsecuredMailPolicy(false, false, Duration.ofHours(24), false);
  }
}
