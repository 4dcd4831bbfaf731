package health.direct.transport.dns;

import health.direct.core.DirectException;
import health.direct.core.FaultWords;
import health.direct.core.Problem;
import health.direct.core.resolve.DnssecStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Asks DNS questions for discovery and delivery: EDNS0 with a 4096-byte buffer and a retry over
 * TCP when an answer comes back truncated (CD-04), the configured servers in order with a
 * time-out each, DNSSEC validation through dnsjava's {@link ValidatingResolver} when trust anchors
 * are configured, and answers cached for their TTL (CD-14; failures are not cached).
 *
 * <pre>{@code
 * DnsClient dns = new DnsClient(DnsSettings.of(List.of("127.0.0.1:5353"), Duration.ofSeconds(2), "none", false),
 *     Clock.systemUTC());
 * DnsAnswer mx = dns.query("clinic.example", Type.MX);
 * }</pre>
 */
public final class DnsClient implements DnsLookup {
  private static final int EDNS_PAYLOAD = 4096;
  private static final int CACHE_ENTRIES = 10_000;

  private record Key(String name, int type) {}

  private record Cached(DnsAnswer answer, Instant expires) {}

  private final Resolver resolver;
  private final boolean validating;
  private final Clock clock;
  private final List<InetSocketAddress> servers;
  private final Map<Key, Cached> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };

  public DnsClient(DnsSettings settings, Clock clock) {
    this.clock = clock;
    this.servers = settings.servers();
    List<Resolver> each = new ArrayList<>();
    for (InetSocketAddress server : settings.servers()) {
      SimpleResolver r = new SimpleResolver(server);
      r.setTimeout(settings.timeout());
      r.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
      each.add(r);
    }
    ExtendedResolver chain = new ExtendedResolver(each);
    chain.setLoadBalance(false);
    chain.setRetries(1);
    // the whole chain may take one time-out per server, plus the TCP retry of a truncated answer
    chain.setTimeout(settings.timeout().multipliedBy(settings.servers().size()).plus(settings.timeout()));
    if (settings.trustAnchors().isPresent()) {
      ValidatingResolver v = new ValidatingResolver(chain, clock);
      try {
        v.loadTrustAnchors(new ByteArrayInputStream(settings.trustAnchors().get().getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException | RuntimeException e) {
        throw new DirectException(Problem.CONFIG, "the DNSSEC trust anchors cannot be read: " + e.getMessage(), e);
      }
      v.setEDNS(0, EDNS_PAYLOAD, ExtendedFlags.DO, List.of());
      v.setAddReasonToAdditional(true);
      v.setTimeout(chain.getTimeout());
      this.resolver = v;
      this.validating = true;
    } else {
      this.resolver = chain;
      this.validating = false;
    }
  }

  /** The servers asked, in order, for messages ("127.0.0.1:5353"). */
  public String serverList() {
    return String.join(", ", servers.stream().map(s -> s.getAddress().getHostAddress() + ":" + s.getPort()).toList());
  }

  /** Asks for {@code type} records at {@code name} (absolute or not: a final dot is added). */
  @Override
  public DnsAnswer query(String name, int type) {
    try {
      return query(Name.fromString(name.endsWith(".") ? name : name + "."), type);
    } catch (TextParseException e) {
      return new DnsAnswer(Name.root, type, DnsAnswer.Outcome.FAILED, List.of(), DnssecStatus.UNCHECKED,
          "'" + name + "' is not a valid DNS name");
    }
  }

  public DnsAnswer query(Name name, int type) {
    Key key = new Key(name.toString().toLowerCase(Locale.ROOT), type);
    Instant now = clock.instant();
    synchronized (cache) {
      Cached c = cache.get(key);
      if (c != null && c.expires().isAfter(now)) {
        return c.answer();
      }
    }
    Message response;
    try {
      response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    } catch (IOException e) {
      String why = e instanceof java.net.SocketTimeoutException || String.valueOf(e.getMessage()).contains("imed out")
          ? "no answer from " + serverList() + " (time-out)"
          : hasCause(e, org.xbill.DNS.WireParseException.class)
              ? "the answer from " + serverList() + " is not a well-formed DNS message: " + FaultWords.scrub(e.getMessage())
              : "cannot reach " + serverList() + ": " + FaultWords.scrub(e.getMessage());
      return failed(name, type, why);
    }
    DnsAnswer answer = interpret(name, type, response);
    long ttl = ttl(answer, response);
    if (!answer.failed() && ttl > 0) {
      synchronized (cache) {
        cache.put(key, new Cached(answer, now.plus(Duration.ofSeconds(ttl))));
      }
    }
    return answer;
  }

  private DnsAnswer interpret(Name name, int type, Message response) {
    int rcode = response.getRcode();
    DnssecStatus status = !validating ? DnssecStatus.UNCHECKED
        : response.getHeader().getFlag(Flags.AD) ? DnssecStatus.SECURE : DnssecStatus.INSECURE;
    if (validating && rcode == Rcode.SERVFAIL) {
      String reason = validationFailure(response);
      if (reason != null) {
        return new DnsAnswer(name, type, DnsAnswer.Outcome.FAILED, List.of(), DnssecStatus.BOGUS,
            "DNSSEC validation failed (" + reason + ")");
      }
    }
    if (rcode == Rcode.NXDOMAIN) {
      return new DnsAnswer(name, type, DnsAnswer.Outcome.NXDOMAIN, List.of(), status, "");
    }
    if (rcode != Rcode.NOERROR) {
      return new DnsAnswer(name, type, DnsAnswer.Outcome.FAILED, List.of(), status,
          "the server answered " + Rcode.string(rcode));
    }
    List<Record> records = response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    return new DnsAnswer(name, type, records.isEmpty() ? DnsAnswer.Outcome.NODATA : DnsAnswer.Outcome.ANSWER,
        records, status, "");
  }

  /** The reason a validating resolver attaches to a bogus answer, or null when it is a plain SERVFAIL. */
  private static String validationFailure(Message response) {
    for (Record r : response.getSection(Section.ADDITIONAL)) {
      if (r instanceof TXTRecord txt && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return String.join(" ", txt.getStrings());
      }
    }
    return null;
  }

  private static long ttl(DnsAnswer answer, Message response) {
    if (answer.outcome() == DnsAnswer.Outcome.ANSWER) {
      return answer.records().stream().mapToLong(Record::getTTL).min().orElse(0);
    }
    // negative answers: RFC 2308, the lesser of the SOA's TTL and its minimum field
    return response.getSection(Section.AUTHORITY).stream().filter(r -> r instanceof SOARecord)
        .mapToLong(r -> Math.min(r.getTTL(), ((SOARecord) r).getMinimum())).min().orElse(0);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> kind) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (kind.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private DnsAnswer failed(Name name, int type, String why) {
    return new DnsAnswer(name, type, DnsAnswer.Outcome.FAILED, List.of(),
        validating ? DnssecStatus.INSECURE : DnssecStatus.UNCHECKED, why);
  }
}
