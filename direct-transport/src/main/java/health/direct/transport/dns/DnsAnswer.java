package health.direct.transport.dns;

import health.direct.core.resolve.DnssecStatus;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One DNS answer as discovery sees it: what was asked, the records (of the asked type only),
 * the outcome, the DNSSEC status and, for failures, why.
 */
public record DnsAnswer(Name name, int type, Outcome outcome, List<Record> records, DnssecStatus dnssec,
    String detail) {

  /** How the question was answered. */
  public enum Outcome {
    /** Records of the asked type exist. */
    ANSWER,
    /** The name exists but has no records of this type. */
    NODATA,
    /** The name does not exist. */
    NXDOMAIN,
    /** No usable answer: time-out, server failure, refusal, or a bogus DNSSEC answer. */
    FAILED
  }

  public DnsAnswer {
    records = List.copyOf(records);
  }

  public String question() {
    return Type.string(type) + " " + name.toString(true);
  }

  public boolean failed() {
    return outcome == Outcome.FAILED;
  }

  /** "2 records", "NXDOMAIN", "failed: time-out after 3 s". */
  public String summary() {
    return switch (outcome) {
      case ANSWER -> records.size() + (records.size() == 1 ? " record" : " records");
      case NODATA -> "NODATA (the name exists, no " + Type.string(type) + " records)";
      case NXDOMAIN -> "NXDOMAIN (no such name)";
      case FAILED -> "failed: " + detail;
    };
  }
}
