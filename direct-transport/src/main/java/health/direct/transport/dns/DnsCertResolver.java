package health.direct.transport.dns;

import health.direct.core.DirectException;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateReader;
import health.direct.core.resolve.Attempt;
import health.direct.core.resolve.CertificateResolver;
import health.direct.core.resolve.DnssecStatus;
import health.direct.core.resolve.FoundCertificate;
import health.direct.core.resolve.Resolution;
import health.direct.core.trust.RemoteFetcher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.CERTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNS CERT discovery (CD-01..CD-04): the address-bound name first ({@code bob.clinic.example} for
 * bob@clinic.example), the domain only when the first returned no usable CERT records (CD-03).
 * PKIX records carry the DER certificate; IPKIX records carry a URL, fetched over HTTP; other types
 * are ignored (CD-02).
 *
 * <p>A failed query (time-out, server failure) refuses rather than moving on: without an answer we
 * cannot know whether an address-bound certificate exists, and choosing a domain-bound one in its
 * place is what CD-09 forbids. A bogus DNSSEC answer refuses too (risk 2); with
 * {@code requireSecure}, so does any answer that is not DNSSEC-secure.
 *
 * <pre>{@code
 * Resolution r = new DnsCertResolver(dns, HttpFetcher.withDefaults(), false)
 *     .resolve(DirectAddress.parse("bob@clinic.example"));
 * }</pre>
 */
public final class DnsCertResolver implements CertificateResolver {
  private final DnsLookup dns;
  private final RemoteFetcher fetcher;
  private final boolean requireSecure;

  public DnsCertResolver(DnsLookup dns, RemoteFetcher fetcher, boolean requireSecure) {
    this.dns = dns;
    this.fetcher = fetcher;
    this.requireSecure = requireSecure;
  }

  @Override
  public Resolution resolve(DirectAddress address) {
    List<Attempt> attempts = new ArrayList<>();
    for (String name : List.of(address.addressBoundCertName(), address.domain())) {
      DnsAnswer answer = dns.query(name, Type.CERT);
      Optional<String> refusal = DnsPolicy.refusal(answer, requireSecure, address);
      if (refusal.isPresent()) {
        attempts.add(new Attempt("DNS", answer.question(), answer.summary(), answer.dnssec()));
        return Resolution.refused(address, attempts, refusal.get());
      }
      List<FoundCertificate> found = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (Record r : answer.records()) {
        certificate((CERTRecord) r, notes).ifPresent(c -> found.add(new FoundCertificate(c,
            "DNS CERT " + answer.name().toString(true), CertificateBinding.of(c, address), answer.dnssec())));
      }
      String outcome = answer.summary() + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")")
          + (found.isEmpty() ? "" : ", " + found.size() + " certificate(s)");
      attempts.add(new Attempt("DNS", answer.question(), outcome, answer.dnssec()));
      if (!found.isEmpty()) {
        return new Resolution(address, found, attempts);
      }
    }
    return Resolution.none(address, attempts);
  }

  private Optional<X509Certificate> certificate(CERTRecord r, List<String> notes) {
    int type = r.getCertType();
    try {
      if (type == CERTRecord.CertificateType.PKIX) {
        return Optional.of(CertificateReader.readOne(r.getCert(), "CERT record at " + r.getName()));
      }
      if (type == CERTRecord.CertificateType.IPKIX) {
        String url = new String(r.getCert(), StandardCharsets.US_ASCII).trim();
        URI uri = URI.create(url);
        return Optional.of(CertificateReader.readOne(fetcher.get(uri), url));
      }
      notes.add("ignored a CERT record of type " + CERTRecord.CertificateType.string(type));
    } catch (DirectException | IllegalArgumentException e) {
      notes.add((type == CERTRecord.CertificateType.IPKIX ? "IPKIX record unusable: " : "PKIX record unusable: ")
          + e.getMessage());
    }
    return Optional.empty();
  }
}
