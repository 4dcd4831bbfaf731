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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.SMIMEARecord;
import org.xbill.DNS.Type;

/**
 * SMIMEA discovery (RFC 8162; SM-07, optional): records at
 * {@code <sha256(local-part)[0..28]>._smimecert.<domain>}, used only when the answer is
 * DNSSEC-secure, since an SMIMEA record without DNSSEC proves nothing. Only records carrying the
 * full certificate (selector 0, matching type 0) yield a certificate; the certificate is then
 * validated like any other.
 *
 * <pre>{@code
 * Resolution r = new SmimeaResolver(dns).resolve(DirectAddress.parse("bob@clinic.example"));
 * }</pre>
 */
public final class SmimeaResolver implements CertificateResolver {
  private final DnsLookup dns;

  public SmimeaResolver(DnsLookup dns) {
    this.dns = dns;
  }

  /** The RFC 8162 owner name for {@code address}. */
  public static String ownerName(DirectAddress address) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(address.localPart().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(Arrays.copyOf(hash, 28)) + "._smimecert." + address.domain();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  @Override
  public Resolution resolve(DirectAddress address) {
    DnsAnswer answer = dns.query(ownerName(address), Type.SMIMEA);
    if (answer.dnssec() == DnssecStatus.BOGUS) {
      return Resolution.refused(address, List.of(new Attempt("DNS", answer.question(), answer.summary(),
          answer.dnssec())), DnsPolicy.refusal(answer, false, address).orElseThrow());
    }
    if (answer.records().isEmpty()) {
      return Resolution.none(address, new Attempt("DNS", answer.question(), answer.summary(), answer.dnssec()));
    }
    if (answer.dnssec() != DnssecStatus.SECURE) {
      return Resolution.none(address, new Attempt("DNS", answer.question(), answer.summary()
          + ", ignored: SMIMEA is used only when DNSSEC-secure", answer.dnssec()));
    }
    List<FoundCertificate> found = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Record r : answer.records()) {
      SMIMEARecord s = (SMIMEARecord) r;
      if (s.getSelector() != 0 || s.getMatchingType() != 0) {
        notes.add("a record with selector " + s.getSelector() + "/matching type " + s.getMatchingType()
            + " holds no certificate");
        continue;
      }
      try {
        var cert = CertificateReader.readOne(s.getCertificateAssociationData(), "SMIMEA record at " + s.getName());
        found.add(new FoundCertificate(cert, "DNS SMIMEA " + answer.name().toString(true),
            CertificateBinding.of(cert, address), answer.dnssec()));
      } catch (DirectException e) {
        notes.add(e.getMessage());
      }
    }
    String outcome = answer.summary() + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
    return new Resolution(address, found, List.of(new Attempt("DNS", answer.question(), outcome, answer.dnssec())));
  }
}
