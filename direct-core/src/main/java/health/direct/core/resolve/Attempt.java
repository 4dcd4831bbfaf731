package health.direct.core.resolve;

/**
 * One question a resolver asked and what came back, e.g. source {@code DNS}, query
 * {@code CERT bob.clinic.example}, outcome {@code NXDOMAIN}. Discovery keeps every attempt so a
 * failure explains itself.
 */
public record Attempt(String source, String query, String outcome, DnssecStatus dnssec) {

  public static Attempt of(String source, String query, String outcome) {
    return new Attempt(source, query, outcome, DnssecStatus.NOT_DNS);
  }

  @Override
  public String toString() {
    String s = source + " " + query + ": " + outcome;
    return dnssec == DnssecStatus.NOT_DNS ? s : s + " (DNSSEC " + dnssec.label() + ")";
  }
}
