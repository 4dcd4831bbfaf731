package health.direct.core.store;

import health.direct.core.mime.MimeLimits;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.policy.UnsecuredMailPolicy;
import health.direct.core.smime.EncryptionAlgorithm;
import health.direct.core.smime.KeyTransport;
import health.direct.core.smime.SealOptions;
import health.direct.core.trust.RevocationPolicy;
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
    MailConfig mail, HealthConfig health, UnsecuredMailPolicy unsecured, AutomationConfig automation,
    MimeLimits mimeLimits, ServeConfig serve) {

  /**
   * Automation from an EHR (the seed's drawback): the drop folder {@code direct agent} collects
   * messages from, and the folder it copies trusted inbox messages to, if any; a relative path is
   * relative to the home folder.
   */
  public record AutomationConfig(Optional<Path> dropFolder, Optional<Path> inboundFolder) {
    public static AutomationConfig defaults() {
      return new AutomationConfig(Optional.empty(), Optional.empty());
    }
  }

  /** Thresholds of {@code direct health} (risk 5). */
  public record HealthConfig(Duration maxQuiet, Duration stuckAfter, Duration window) {
    public static HealthConfig defaults() {
      return new HealthConfig(Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(24));
    }
  }

  /** These settings with other discovery settings (command-line options, tests). */
  public HomeConfig withDiscovery(DiscoveryConfig d) {
    return new HomeConfig(sealOptions, revocation, d, mail, health, unsecured, automation, mimeLimits, serve);
  }

  public static HomeConfig defaults() {
    return new HomeConfig(SealOptions.builder().build(), RevocationPolicy.STRICT, DiscoveryConfig.defaults(),
        MailConfig.defaults(), HealthConfig.defaults(), UnsecuredMailPolicy.defaults(), AutomationConfig.defaults(),
        MimeLimits.defaults(), ServeConfig.defaults());
  }

  public static HomeConfig load(Path file) {
    Optional<Properties> read = PropertiesFile.read(file, "the settings");
    if (read.isEmpty()) {
      return defaults();
    }
    Properties p = read.get();
    Settings s = new Settings(file, p);
    SealOptions.Builder seal = SealOptions.builder();
    s.read("seal.outer-subject", v -> v).ifPresent(seal::outerSubject);
    s.read("seal.encryption", EncryptionAlgorithm::parse).ifPresent(seal::encryption);
    s.read("seal.key-transport", KeyTransport::parse).ifPresent(seal::keyTransport);
    for (String key : s.keysLike("peer.", ".encryption")) {
      String peer = key.substring(5, key.length() - ".encryption".length());
      s.read(key, EncryptionAlgorithm::parse).ifPresent(a -> seal.peerEncryption(peer, a));
    }
    RevocationPolicy revocation = s.read("trust.revocation", v -> switch (v.toLowerCase(Locale.ROOT)) {
      case "strict" -> RevocationPolicy.STRICT;
      case "best-effort" -> RevocationPolicy.BEST_EFFORT;
      default -> throw new DirectException(Problem.CONFIG, "use strict or best-effort");
    }).orElse(RevocationPolicy.STRICT);

    DiscoveryConfig d = DiscoveryConfig.defaults();
    DiscoveryConfig discovery = new DiscoveryConfig(
        s.read("dns.servers", v -> Arrays.stream(v.split("[,\\s]+")).filter(x -> !x.isEmpty()).toList())
            .orElse(d.dnsServers()),
        s.read("dns.timeout", HomeConfig::duration).orElse(d.dnsTimeout()),
        s.read("dns.dnssec.trust-anchors", v -> v.isEmpty() ? "none" : v).orElse(d.dnssecAnchors()),
        s.read("dns.dnssec.require", HomeConfig::bool).orElse(d.requireDnssec()),
        s.read("discovery.smimea", HomeConfig::bool).orElse(d.smimea()),
        s.read("discovery.ldap", HomeConfig::bool).orElse(d.ldap()),
        s.read("ldap.timeout", HomeConfig::duration).orElse(d.ldapTimeout()),
        s.read("contacts.pinning", HomeConfig::bool).orElse(d.pinning()));

    MailConfig m = MailConfig.defaults();
    MailConfig mail = new MailConfig(
        s.read("account.address", v -> DirectAddress.parse(v).toString()).or(m::address),
        s.read("fetch.protocol", v -> oneOf(v, "imap", "pop3")).orElse(m.fetchProtocol()),
        s.read("fetch.host", v -> v).or(m::fetchHost),
        s.read("fetch.port", HomeConfig::port).or(m::fetchPort),
        s.read("fetch.tls", v -> oneOf(v, "implicit", "starttls", "none")).orElse(m.fetchTls()),
        s.read("fetch.user", v -> v).or(m::fetchUser),
        s.read("fetch.folder", v -> v).orElse(m.fetchFolder()),
        s.read("fetch.keep-on-server", HomeConfig::bool).orElse(m.keepOnServer()),
        s.read("fetch.allow-plaintext-loopback", HomeConfig::bool).orElse(m.allowPlaintextLoopback()),
        s.read("smtp.port", HomeConfig::port).orElse(m.smtpPort()),
        s.read("smtp.smart-host", v -> v).filter(v -> !v.isEmpty()).or(m::smartHost),
        s.read("smtp.starttls", v -> oneOf(v, "required", "opportunistic", "off")).orElse(m.startTls()),
        s.read("smtp.helo", v -> v).or(m::heloName),
        s.read("net.timeout", HomeConfig::duration).orElse(m.networkTimeout()),
        s.read("tls.trust-anchors", HomeConfig::path).flatMap(o -> o).or(m::tlsAnchors),
        s.read("outbox.retry-initial", HomeConfig::duration).orElse(m.retryInitial()),
        s.read("outbox.retry-max", HomeConfig::duration).orElse(m.retryMax()),
        s.read("outbox.give-up-after", HomeConfig::duration).orElse(m.giveUpAfter()),
        s.read("agent.interval", HomeConfig::duration).orElse(m.agentInterval()),
        s.read("notifications.timely-reliable", HomeConfig::bool).orElse(m.timelyAndReliable()),
        s.read("notifications.processed-timeout", HomeConfig::duration).orElse(m.processedTimeout()),
        s.read("notifications.dispatched-timeout", HomeConfig::duration).orElse(m.dispatchedTimeout()));

    HealthConfig h = HealthConfig.defaults();
    HealthConfig health = new HealthConfig(
        s.read("health.max-quiet", HomeConfig::duration).orElse(h.maxQuiet()),
        s.read("health.stuck-after", HomeConfig::duration).orElse(h.stuckAfter()),
        s.read("health.window", HomeConfig::duration).orElse(h.window()));

    UnsecuredMailPolicy u = UnsecuredMailPolicy.defaults();
    UnsecuredMailPolicy unsecured = new UnsecuredMailPolicy(
        s.read("unsecured.action", v -> oneOf(v, "quarantine", "discard").equals("discard")).orElse(u.discard()),
        s.read("unsecured.courtesy-notice", HomeConfig::bool).orElse(u.courtesyNotice()),
        s.read("unsecured.notice-interval", HomeConfig::duration).orElse(u.noticeInterval()),
        s.read("unsecured.send-to-non-direct", HomeConfig::bool).orElse(u.sendToNonDirect()));

    AutomationConfig automation = new AutomationConfig(
        s.read("automation.drop-folder", HomeConfig::path).flatMap(o -> o),
        s.read("automation.inbound-folder", HomeConfig::path).flatMap(o -> o));

    MimeLimits l = MimeLimits.defaults();
    MimeLimits mime = new MimeLimits(
        s.read("mime.max-nesting", HomeConfig::positive).orElse(l.maxNesting()),
        s.read("mime.max-parts", HomeConfig::positive).orElse(l.maxParts()),
        s.read("mime.max-header-lines", HomeConfig::positive).orElse(l.maxHeaderLines()),
        s.read("mime.max-header-bytes", HomeConfig::positive).orElse(l.maxHeaderBytes()));

    ServeConfig sv = ServeConfig.defaults();
    ServeConfig serve = new ServeConfig(
        s.read("serve.host", v -> v).filter(v -> !v.isEmpty()).orElse(sv.host()),
        s.read("serve.port", HomeConfig::port).orElse(sv.port()),
        s.read("serve.tls.cert", HomeConfig::path).flatMap(o -> o),
        s.read("serve.tls.key", HomeConfig::path).flatMap(o -> o));

    s.refuseUnread();
    return new HomeConfig(seal.build(), revocation, discovery, mail, health, unsecured, automation, mime, serve);
  }

  /** The file's values, read once each by key; a bad value or an unread key is an error naming the line. */
  private static final class Settings {
    private final Path file;
    private final Properties p;
    private final java.util.Set<String> read = new java.util.HashSet<>();

    Settings(Path file, Properties p) {
      this.file = file;
      this.p = p;
    }

    <T> Optional<T> read(String key, java.util.function.Function<String, T> parse) {
      read.add(key);
      String raw = p.getProperty(key);
      if (raw == null) {
        return Optional.empty();
      }
      String value = raw.trim();
      try {
        return Optional.of(parse.apply(value));
      } catch (DirectException e) {
        throw new DirectException(Problem.CONFIG, file + ": '" + key + " = " + value + "': " + e.getMessage(), e);
      }
    }

    List<String> keysLike(String prefix, String suffix) {
      return p.stringPropertyNames().stream()
          .filter(k -> k.length() > prefix.length() + suffix.length() && k.startsWith(prefix) && k.endsWith(suffix))
          .sorted().toList();
    }

    void refuseUnread() {
      for (String key : p.stringPropertyNames().stream().sorted().toList()) {
        if (!read.contains(key)) {
          throw new DirectException(Problem.CONFIG, file + ": '" + key + " = " + p.getProperty(key).trim()
              + "': unknown setting");
        }
      }
    }
  }

  private static String oneOf(String v, String... allowed) {
    String l = v.toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(l)) {
      throw new DirectException(Problem.CONFIG, "use " + String.join(", ", allowed));
    }
    return l;
  }

  private static int positive(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new DirectException(Problem.CONFIG, "use a whole number of at least 1");
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

  /** A file or folder name; empty means none. */
  private static Optional<Path> path(String v) {
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(v));
    } catch (java.nio.file.InvalidPathException e) {
      throw new DirectException(Problem.CONFIG, "not a usable file name: " + e.getReason());
    }
  }

  private static boolean bool(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new DirectException(Problem.CONFIG, "use true or false");
    };
  }

  /** "500ms", "3s", "2m", "1h", "2d". */
  static Duration duration(String v) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(v.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new DirectException(Problem.CONFIG, "use a duration such as 500ms, 3s, 2m, 1h or 2d");
    }
    Duration d;
    try {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new DirectException(Problem.CONFIG, "that duration is too long; use at most a few years, such as 365d");
    }
    if (d.isZero()) {
      throw new DirectException(Problem.CONFIG, "a duration must be more than zero");
    }
    return d;
  }
}
