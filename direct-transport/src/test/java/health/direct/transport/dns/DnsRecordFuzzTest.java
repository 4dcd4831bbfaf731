package health.direct.transport.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import health.direct.core.address.DirectAddress;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.CertificateResolver;
import health.direct.core.resolve.DnssecStatus;
import health.direct.core.resolve.Resolution;
import health.direct.core.trust.FetchException;
import health.direct.core.trust.RemoteFetcher;
import health.direct.testkit.JavaNames;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fuzz targets for certificate records from DNS: the input is the RDATA of one CERT (RFC 4398) or
 * SMIMEA (RFC 8162) record, carried through a DNS message's wire form as a server would send it,
 * then handed to discovery. A finding is anything other than a certificate found or a note in
 * words: an exception escaping, or a note that names a Java class. Inputs and the command to fuzz
 * for real: docs/reliability.md.
 */
class DnsRecordFuzzTest {
  private static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");

  /** An IPKIX URL is fetched; this fetcher answers with its own path's bytes, or not at all. */
  private static final RemoteFetcher FETCHER = new RemoteFetcher() {
    @Override
    public byte[] get(URI uri) {
      if (uri.getPath() == null || uri.getPath().isEmpty()) {
        throw new FetchException(uri, "no such file", null);
      }
      return uri.getPath().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public byte[] post(URI uri, String contentType, byte[] body) {
      throw new FetchException(uri, "not expected", null);
    }
  };

  /** Discovery driven by one record of {@code type} at whatever name it asks for. */
  private static Resolution discover(int type, byte[] rdata, DnssecStatus dnssec, CertificateResolverFactory make)
      throws IOException {
    DnsLookup dns = (name, asked) -> {
      Name owner = Name.fromConstantString(name.endsWith(".") ? name : name + ".");
      if (asked != type) {
        return new DnsAnswer(owner, asked, DnsAnswer.Outcome.NODATA, List.of(), dnssec, "");
      }
      List<Record> records = onTheWire(owner, type, rdata);
      return new DnsAnswer(owner, asked, records.isEmpty() ? DnsAnswer.Outcome.NODATA : DnsAnswer.Outcome.ANSWER,
          records, dnssec, "");
    };
    return make.with(dns).resolve(BOB);
  }

  /** The record as a resolver receives it: written into a response and read back from its bytes. */
  private static List<Record> onTheWire(Name owner, int type, byte[] rdata) {
    Record parsed = Record.newRecord(owner, type, DClass.IN, 300, rdata);
    if (parsed == null) {
      return List.of(); // dnsjava refuses the RDATA: the whole answer would be unreadable
    }
    Message m = Message.newQuery(Record.newRecord(owner, type, DClass.IN));
    m.addRecord(parsed, Section.ANSWER);
    try {
      return new Message(m.toWire()).getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    } catch (IOException e) {
      return List.of(); // unreadable on the way back: the client reports the answer as unusable
    }
  }

  @FunctionalInterface
  private interface CertificateResolverFactory {
    CertificateResolver with(DnsLookup dns);
  }

  private static void assertInWords(Resolution r, byte[] rdata) {
    String input = new String(rdata, StandardCharsets.ISO_8859_1);
    for (Attempt a : r.attempts()) {
      assertThat(JavaNames.in(a.outcome(), input)).as(a.outcome()).isEmpty();
    }
    r.refusal().ifPresent(reason -> assertThat(JavaNames.in(reason, input)).as(reason).isEmpty());
  }

  @FuzzTest(maxDuration = "5m")
  void anyCertRecordGivesACertificateOrANoteInWords(byte[] rdata) throws IOException {
    Resolution r = discover(Type.CERT, rdata, DnssecStatus.UNCHECKED, dns -> new DnsCertResolver(dns, FETCHER, false));
    assertInWords(r, rdata);
  }

  @FuzzTest(maxDuration = "5m")
  void anySmimeaRecordGivesACertificateOrANoteInWords(byte[] rdata) throws IOException {
    Resolution r = discover(Type.SMIMEA, rdata, DnssecStatus.SECURE, SmimeaResolver::new);
    assertInWords(r, rdata);
  }
}
