package health.direct.core.dlp;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.store.PropertiesFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules a message is checked against and the score that counts as PHI. Built in: US SSN,
 * medical record numbers, NPI (with its Luhn check digit), dates of birth near identifying words,
 * ICD-10-CM and LOINC codes, and C-CDA document markers. A rules file (docs/dlp.md) can switch
 * rules off, change weights and the threshold, and add rules:
 *
 * <pre>
 * threshold = 2
 * rule.icd10.enabled = false
 * rule.ssn.weight = 5
 * rule.member.pattern = \bMBR-\d{8}\b
 * rule.member.description = health plan member id
 * </pre>
 */
public record PhiRules(List<PhiRule> rules, int threshold, ScanLimits limits) {
  /** Rules and threshold with the default scan limits. */
  public PhiRules(List<PhiRule> rules, int threshold) {
    this(rules, threshold, ScanLimits.DEFAULTS);
  }

  /**
   * How much one scan reads before it stops: bytes in all (decompressed ones included), archive
   * entries, archive nesting, and how many times its compressed size an archive entry may expand
   * to. A message that reaches a limit is not scanned whole, so it does
   * not pass: what could not be looked at is never sent unprotected.
   */
  public record ScanLimits(long maxBytes, int maxEntries, int maxNesting, int maxRatio) {
    public static final ScanLimits DEFAULTS = new ScanLimits(64L << 20, 1_000, 3, 100);

    /** The limits with the default compression ratio (100: an entry may expand to 100 times its size). */
    public ScanLimits(long maxBytes, int maxEntries, int maxNesting) {
      this(maxBytes, maxEntries, maxNesting, 100);
    }
  }

  public PhiRules {
    rules = List.copyOf(rules);
  }

  private static final Pattern NEVER = null;

  public static PhiRules defaults() {
    return new PhiRules(new ArrayList<>(builtIn().values()), 1);
  }

  private static Map<String, PhiRule> builtIn() {
    Map<String, PhiRule> m = new LinkedHashMap<>();
    add(m, new PhiRule("ssn", "US social security number",
        Pattern.compile("\\b(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}\\b"), x -> true, NEVER, 0, 3));
    add(m, new PhiRule("mrn", "medical record number",
        Pattern.compile("(?i)\\b(?:MRN|medical record(?: number| no\\.?)?)\\s*[:#]?\\s*([A-Z0-9-]{5,15})\\b"), x -> true,
        NEVER, 0, 3));
    add(m, new PhiRule("npi", "National Provider Identifier (Luhn-checked)", Pattern.compile("\\b(\\d{10})\\b"),
        PhiRules::validNpi, Pattern.compile("(?i)\\bNPI\\b"), 25, 1));
    add(m, new PhiRule("dob", "date of birth",
        Pattern.compile("\\b(?:\\d{1,2}/\\d{1,2}/(?:19|20)\\d{2}|(?:19|20)\\d{2}-\\d{2}-\\d{2}|(?:19|20)\\d{6})\\b"),
        x -> true, Pattern.compile("(?i)\\b(?:DOB|D\\.O\\.B\\.?|date of birth|birth ?date|born|birthTime)\\b"), 40, 3));
    add(m, new PhiRule("icd10", "ICD-10-CM diagnosis code",
        Pattern.compile("\\b[A-TV-Z]\\d[0-9AB]\\.[0-9A-TV-Z]{1,4}\\b"), x -> true, NEVER, 0, 2));
    add(m, new PhiRule("loinc", "LOINC code", Pattern.compile("\\b(\\d{1,5}-\\d)\\b"), PhiRules::validLoinc,
        Pattern.compile("(?i)LOINC|2\\.16\\.840\\.1\\.113883\\.6\\.1"), 120, 1));
    add(m, new PhiRule("ccda", "C-CDA clinical document",
        Pattern.compile("urn:hl7-org:v3|<ClinicalDocument\\b|2\\.16\\.840\\.1\\.113883\\.10\\.20\\.22"), x -> true, NEVER,
        0, 5));
    return m;
  }

  private static void add(Map<String, PhiRule> m, PhiRule r) {
    m.put(r.id(), r);
  }

  /** The built-in rules with the changes in {@code file} (see the class comment). */
  public static PhiRules load(Path file) {
    Optional<Properties> read = PropertiesFile.read(file, "the DLP rules");
    if (read.isEmpty()) {
      return defaults();
    }
    Properties p = read.get();
    Map<String, PhiRule> rules = builtIn();
    int threshold = 1;
    ScanLimits limits = ScanLimits.DEFAULTS;
    for (String key : p.stringPropertyNames().stream().sorted().toList()) {
      String value = p.getProperty(key).trim();
      try {
        if (key.equals("threshold")) {
          threshold = Integer.parseInt(value);
          continue;
        }
        if (key.equals("limit.bytes")) {
          limits = new ScanLimits(Long.parseLong(value), limits.maxEntries(), limits.maxNesting(), limits.maxRatio());
          continue;
        }
        if (key.equals("limit.entries")) {
          limits = new ScanLimits(limits.maxBytes(), Integer.parseInt(value), limits.maxNesting(), limits.maxRatio());
          continue;
        }
        if (key.equals("limit.nesting")) {
          limits = new ScanLimits(limits.maxBytes(), limits.maxEntries(), Integer.parseInt(value), limits.maxRatio());
          continue;
        }
        if (key.equals("limit.ratio")) {
          limits = new ScanLimits(limits.maxBytes(), limits.maxEntries(), limits.maxNesting(), Integer.parseInt(value));
          continue;
        }
        String[] parts = key.split("\\.");
        if (parts.length != 3 || !parts[0].equals("rule")) {
          throw new DirectException(Problem.CONFIG, "unknown setting");
        }
        String id = parts[1];
        PhiRule old = rules.get(id);
        switch (parts[2]) {
          case "enabled" -> {
            if (!Boolean.parseBoolean(value)) {
              rules.remove(id);
            }
          }
          case "weight" -> rules.put(id, with(old, id).weight(Integer.parseInt(value)).build());
          case "pattern" -> rules.put(id, with(old, id).pattern(Pattern.compile(value)).build());
          case "near" -> rules.put(id, with(old, id).near(Pattern.compile(value)).build());
          case "description" -> rules.put(id, with(old, id).description(value).build());
          default -> throw new DirectException(Problem.CONFIG, "unknown setting");
        }
      } catch (NumberFormatException | PatternSyntaxException e) {
        throw new DirectException(Problem.CONFIG, file + ": '" + key + " = " + value + "': " + e.getMessage(), e);
      } catch (DirectException e) {
        throw new DirectException(Problem.CONFIG, file + ": '" + key + " = " + value + "': " + e.getMessage(), e);
      }
    }
    rules.values().removeIf(r -> r.pattern() == null);
    return new PhiRules(new ArrayList<>(rules.values()), threshold, limits);
  }

  private static Builder with(PhiRule r, String id) {
    return r == null ? new Builder(id) : new Builder(r);
  }

  /** Copies a rule with one part changed. */
  private static final class Builder {
    String id;
    String description;
    Pattern pattern;
    java.util.function.Predicate<String> check = x -> true;
    Pattern near;
    int window = 40;
    int weight = 1;

    Builder(String id) {
      this.id = id;
      this.description = id;
    }

    Builder(PhiRule r) {
      id = r.id();
      description = r.description();
      pattern = r.pattern();
      check = r.check();
      near = r.near();
      window = r.window();
      weight = r.weight();
    }

    Builder weight(int w) {
      weight = w;
      return this;
    }

    Builder pattern(Pattern p) {
      pattern = p;
      return this;
    }

    Builder near(Pattern p) {
      near = p;
      return this;
    }

    Builder description(String d) {
      description = d;
      return this;
    }

    PhiRule build() {
      return new PhiRule(id, description, pattern, check, near, window, weight);
    }
  }

  /** NPI check digit: Luhn over "80840" followed by the first nine digits. */
  static boolean validNpi(String npi) {
    if (!npi.matches("\\d{10}")) {
      return false;
    }
    return luhn("80840" + npi);
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  /** LOINC check digit (mod 10, as LOINC computes it) of "NNNNN-C". */
  static boolean validLoinc(String code) {
    int dash = code.indexOf('-');
    if (dash < 1) {
      return false;
    }
    String body = code.substring(0, dash);
    int check = code.charAt(dash + 1) - '0';
    // LOINC: from the right, double every other digit starting with the rightmost, sum the digits
    StringBuilder doubled = new StringBuilder();
    StringBuilder kept = new StringBuilder();
    for (int i = body.length() - 1, k = 0; i >= 0; i--, k++) {
      if (k % 2 == 0) {
        doubled.insert(0, body.charAt(i));
      } else {
        kept.insert(0, body.charAt(i));
      }
    }
    String twice = doubled.length() == 0 ? "0" : Long.toString(Long.parseLong(doubled.toString()) * 2);
    int sum = 0;
    for (char c : (twice + kept).toCharArray()) {
      sum += c - '0';
    }
    int expected = (10 - sum % 10) % 10;
    return expected == check;
  }
}
