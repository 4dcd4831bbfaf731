package health.direct.core.store;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.agent.UnsecuredMailPolicy;
import health.direct.core.smime.EncryptionAlgorithm;
import health.direct.core.smime.KeyTransport;
import health.direct.core.smime.SealOptions;
import health.direct.core.trust.RevocationPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Settings from {@code config.properties} in the home folder. Every key is documented in
 * docs/configuration.md; an unknown key or a bad value is an error that names the line.
 *
 * <pre>
 * seal.outer-subject = Secure health message
 * seal.encryption = aes-256-cbc
 * seal.key-transport = pkcs1
 * peer.clinic.example.encryption = aes-256-gcm
 * trust.revocation = strict
 * dns.servers = 127.0.0.1:5353, 9.9.9.9
 * dns.dnssec.trust-anchors = root
 * </pre>
 */
public record HomeConfig(SealOptions sealOptions, RevocationPolicy revocation, DiscoveryConfig discovery,
    MailConfig mail, HealthConfig health, UnsecuredMailPolicy unsecured) {

  /** Thresholds of {@code direct health} (risk 5). */
  public record HealthConfig(Duration maxQuiet, Duration stuckAfter, Duration window) {
    public static HealthConfig defaults() {
      return new HealthConfig(Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(24));
    }
  }

  /** These settings with other discovery settings (command-line options, tests). */
  public HomeConfig withDiscovery(DiscoveryConfig d) {
    return new HomeConfig(sealOptions, revocation, d, mail, health, unsecured);
  }

  public static HomeConfig defaults() {
    return new HomeConfig(SealOptions.builder().build(), RevocationPolicy.STRICT, DiscoveryConfig.defaults(),
        MailConfig.defaults(), HealthConfig.defaults(), UnsecuredMailPolicy.defaults());
  }

  public static HomeConfig load(Path file) {
    if (!Files.exists(file)) {
      return defaults();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new DirectException(Problem.CONFIG, "cannot read " + file + ": " + e.getMessage(), e);
    }
    SealOptions.Builder seal = SealOptions.builder();
    RevocationPolicy revocation = RevocationPolicy.STRICT;
    DiscoveryConfig d = DiscoveryConfig.defaults();
    List<String> dnsServers = d.dnsServers();
    Duration dnsTimeout = d.dnsTimeout();
    String anchors = d.dnssecAnchors();
    boolean requireDnssec = d.requireDnssec();
    boolean smimea = d.smimea();
    boolean ldap = d.ldap();
    Duration ldapTimeout = d.ldapTimeout();
    boolean pinning = d.pinning();
    MailConfig m = MailConfig.defaults();
    Optional<String> address = m.address();
    String fetchProtocol = m.fetchProtocol();
    Optional<String> fetchHost = m.fetchHost();
    Optional<Integer> fetchPort = m.fetchPort();
    String fetchTls = m.fetchTls();
    Optional<String> fetchUser = m.fetchUser();
    String fetchFolder = m.fetchFolder();
    boolean keep = m.keepOnServer();
    boolean plainLoopback = m.allowPlaintextLoopback();
    int smtpPort = m.smtpPort();
    Optional<String> smartHost = m.smartHost();
    String startTls = m.startTls();
    Optional<String> helo = m.heloName();
    Duration netTimeout = m.networkTimeout();
    Optional<Path> tlsAnchors = m.tlsAnchors();
    Duration retryInitial = m.retryInitial();
    Duration retryMax = m.retryMax();
    Duration giveUp = m.giveUpAfter();
    Duration interval = m.agentInterval();
    boolean timelyAndReliable = m.timelyAndReliable();
    Duration processedTimeout = m.processedTimeout();
    Duration dispatchedTimeout = m.dispatchedTimeout();
    HealthConfig hc = HealthConfig.defaults();
    Duration maxQuiet = hc.maxQuiet();
    Duration stuckAfter = hc.stuckAfter();
    Duration window = hc.window();
    boolean discard = false;
    boolean courtesy = false;
    Duration noticeInterval = Duration.ofHours(24);
    boolean sendToNonDirect = false;
    for (String key : p.stringPropertyNames()) {
      String value = p.getProperty(key).trim();
      try {
        if (key.equals("seal.outer-subject")) {
          seal.outerSubject(value);
        } else if (key.equals("seal.encryption")) {
          seal.encryption(EncryptionAlgorithm.parse(value));
        } else if (key.equals("seal.key-transport")) {
          seal.keyTransport(KeyTransport.parse(value));
        } else if (key.startsWith("peer.") && key.endsWith(".encryption")) {
          seal.peerEncryption(key.substring(5, key.length() - ".encryption".length()), EncryptionAlgorithm.parse(value));
        } else if (key.equals("trust.revocation")) {
          revocation = switch (value.toLowerCase(Locale.ROOT)) {
            case "strict" -> RevocationPolicy.STRICT;
            case "best-effort" -> RevocationPolicy.BEST_EFFORT;
            default -> throw new DirectException(Problem.CONFIG, "use strict or best-effort");
          };
        } else if (key.equals("dns.servers")) {
          dnsServers = Arrays.stream(value.split("[,\\s]+")).filter(v -> !v.isEmpty()).toList();
        } else if (key.equals("dns.timeout")) {
          dnsTimeout = duration(value);
        } else if (key.equals("dns.dnssec.trust-anchors")) {
          anchors = value.isEmpty() ? "none" : value;
        } else if (key.equals("dns.dnssec.require")) {
          requireDnssec = bool(value);
        } else if (key.equals("discovery.smimea")) {
          smimea = bool(value);
        } else if (key.equals("discovery.ldap")) {
          ldap = bool(value);
        } else if (key.equals("ldap.timeout")) {
          ldapTimeout = duration(value);
        } else if (key.equals("contacts.pinning")) {
          pinning = bool(value);
        } else if (key.equals("account.address")) {
          address = Optional.of(DirectAddress.parse(value).toString());
        } else if (key.equals("fetch.protocol")) {
          fetchProtocol = oneOf(value, "imap", "pop3");
        } else if (key.equals("fetch.host")) {
          fetchHost = Optional.of(value);
        } else if (key.equals("fetch.port")) {
          fetchPort = Optional.of(port(value));
        } else if (key.equals("fetch.tls")) {
          fetchTls = oneOf(value, "implicit", "starttls", "none");
        } else if (key.equals("fetch.user")) {
          fetchUser = Optional.of(value);
        } else if (key.equals("fetch.folder")) {
          fetchFolder = value;
        } else if (key.equals("fetch.keep-on-server")) {
          keep = bool(value);
        } else if (key.equals("fetch.allow-plaintext-loopback")) {
          plainLoopback = bool(value);
        } else if (key.equals("smtp.port")) {
          smtpPort = port(value);
        } else if (key.equals("smtp.smart-host")) {
          smartHost = value.isEmpty() ? Optional.empty() : Optional.of(value);
        } else if (key.equals("smtp.starttls")) {
          startTls = oneOf(value, "required", "opportunistic", "off");
        } else if (key.equals("smtp.helo")) {
          helo = Optional.of(value);
        } else if (key.equals("net.timeout")) {
          netTimeout = duration(value);
        } else if (key.equals("tls.trust-anchors")) {
          tlsAnchors = value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
        } else if (key.equals("outbox.retry-initial")) {
          retryInitial = duration(value);
        } else if (key.equals("outbox.retry-max")) {
          retryMax = duration(value);
        } else if (key.equals("outbox.give-up-after")) {
          giveUp = duration(value);
        } else if (key.equals("agent.interval")) {
          interval = duration(value);
        } else if (key.equals("notifications.timely-reliable")) {
          timelyAndReliable = bool(value);
        } else if (key.equals("notifications.processed-timeout")) {
          processedTimeout = duration(value);
        } else if (key.equals("notifications.dispatched-timeout")) {
          dispatchedTimeout = duration(value);
        } else if (key.equals("health.max-quiet")) {
          maxQuiet = duration(value);
        } else if (key.equals("health.stuck-after")) {
          stuckAfter = duration(value);
        } else if (key.equals("health.window")) {
          window = duration(value);
        } else if (key.equals("unsecured.action")) {
          discard = oneOf(value, "quarantine", "discard").equals("discard");
        } else if (key.equals("unsecured.courtesy-notice")) {
          courtesy = bool(value);
        } else if (key.equals("unsecured.notice-interval")) {
          noticeInterval = duration(value);
        } else if (key.equals("unsecured.send-to-non-direct")) {
          sendToNonDirect = bool(value);
        } else {
          throw new DirectException(Problem.CONFIG, "unknown setting");
        }
      } catch (DirectException e) {
        throw new DirectException(Problem.CONFIG, file + ": '" + key + " = " + value + "': " + e.getMessage(), e);
      }
    }
    return new HomeConfig(seal.build(), revocation, new DiscoveryConfig(dnsServers, dnsTimeout, anchors,
        requireDnssec, smimea, ldap, ldapTimeout, pinning), new MailConfig(address, fetchProtocol, fetchHost,
        fetchPort, fetchTls, fetchUser, fetchFolder, keep, plainLoopback, smtpPort, smartHost, startTls, helo,
        netTimeout, tlsAnchors, retryInitial, retryMax, giveUp, interval, timelyAndReliable, processedTimeout,
        dispatchedTimeout), new HealthConfig(maxQuiet, stuckAfter, window),
        new UnsecuredMailPolicy(discard, courtesy, noticeInterval, sendToNonDirect));
  }

  private static String oneOf(String v, String... allowed) {
    String l = v.toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(l)) {
      throw new DirectException(Problem.CONFIG, "use " + String.join(", ", allowed));
    }
    return l;
  }

  private static int port(String v) {
    try {
      int p = Integer.parseInt(v);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new DirectException(Problem.CONFIG, "a port is a number from 1 to 65535");
  }

  private static boolean bool(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new DirectException(Problem.CONFIG, "use true or false");
    };
  }

  /** "3s", "500ms", "2m". */
  static Duration duration(String v) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)").matcher(v.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new DirectException(Problem.CONFIG, "use a duration such as 500ms, 3s, 2m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.isZero()) {
      throw new DirectException(Problem.CONFIG, "a duration must be more than zero");
    }
    return d;
  }
}
