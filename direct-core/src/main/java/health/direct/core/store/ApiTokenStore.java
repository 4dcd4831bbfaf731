package health.direct.core.store;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The API's bearer tokens, in the home's {@code api-tokens.properties} (owner-only): for each
 * named token only the SHA-256 of its secret and when it was made. A token is 256 random bits, so
 * a plain hash is enough to make a stolen file useless; the secret itself is shown once, when made.
 *
 * <pre>{@code
 * ApiTokenStore tokens = new ApiTokenStore(home.root().resolve("api-tokens.properties"));
 * String secret = tokens.create("ehr", clock.instant()).secret();
 * Optional<String> who = tokens.authenticate(secret); // Optional[ehr]
 * }</pre>
 */
public final class ApiTokenStore {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** What every secret starts with, so a leaked one is recognisable in a scan. */
  public static final String PREFIX = "direct_";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A token as listed: its name and when it was made; never its secret. */
  public record Token(String name, Instant created) {}

  /** A token just made, with the secret that is shown this once. */
  public record Created(Token token, String secret) {}

  private final Path file;

  public ApiTokenStore(Path file) {
    this.file = file;
  }

  /** Makes a token called {@code name}; a name already in use is refused (revoke it first). */
  public synchronized Created create(String name, Instant now) {
    if (!NAME.matcher(name).matches()) {
      throw new DirectException(Problem.USAGE, "'" + name + "' cannot name a token: use up to 64 letters, digits, "
          + "dots, dashes or underscores, starting with a letter or digit");
    }
    Properties p = load();
    if (p.containsKey(name + ".sha256")) {
      throw new DirectException(Problem.USAGE, "there is already a token called '" + name
          + "': revoke it first ('direct api-token revoke " + name + "') or choose another name");
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    p.setProperty(name + ".sha256", HexFormat.of().formatHex(sha256(secret)));
    p.setProperty(name + ".created", now.toString());
    save(p);
    return new Created(new Token(name, now), secret);
  }

  /** Every token, by name. */
  public synchronized List<Token> list() {
    Properties p = load();
    List<Token> out = new ArrayList<>();
    for (String name : names(p)) {
      out.add(new Token(name, created(p, name)));
    }
    return out;
  }

  /** Removes the token {@code name}; a request carrying it is refused from now on. */
  public synchronized void revoke(String name) {
    Properties p = load();
    if (p.remove(name + ".sha256") == null) {
      throw new DirectException(Problem.NOT_FOUND, "there is no token called '" + name + "' ('direct api-token list' "
          + "names them)");
    }
    p.remove(name + ".created");
    save(p);
  }

  /** The name of the token whose secret {@code presented} is, if any; every stored hash is compared in constant time. */
  public synchronized Optional<String> authenticate(String presented) {
    if (presented == null || !presented.startsWith(PREFIX)) {
      return Optional.empty();
    }
    byte[] hash = sha256(presented);
    Properties p = load();
    Optional<String> found = Optional.empty();
    for (String name : names(p)) {
      byte[] stored;
      try {
        stored = HexFormat.of().parseHex(p.getProperty(name + ".sha256"));
      } catch (IllegalArgumentException e) {
        continue; // a damaged line matches nothing
      }
      if (MessageDigest.isEqual(stored, hash)) {
        found = Optional.of(name);
      }
    }
    return found;
  }

  private static TreeSet<String> names(Properties p) {
    TreeSet<String> names = new TreeSet<>();
    for (String k : p.stringPropertyNames()) {
      if (k.endsWith(".sha256")) {
        names.add(k.substring(0, k.length() - ".sha256".length()));
      }
    }
    return names;
  }

  private static Instant created(Properties p, String name) {
    try {
      return Instant.parse(p.getProperty(name + ".created", "1970-01-01T00:00:00Z"));
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private Properties load() {
    return PropertiesFile.read(file, "the API tokens").orElseGet(Properties::new);
  }

  private void save(Properties p) {
    PropertiesFile.write(file, p, "API tokens of direct serve: names and SHA-256 of their secrets (manage with "
        + "'direct api-token')");
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
