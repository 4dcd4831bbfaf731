package health.direct.testkit.dns;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CERTRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SMIMEARecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative test zone for {@link DnsResponder}: CERT (PKIX and IPKIX), SMIMEA, MX, A, SRV
 * records built from test certificates, optionally DNSSEC-signed (ECDSA P-256, with an NSEC chain
 * for denial of existence) with a fresh key whose DS record is the test trust anchor. A zone can
 * also be signed wrongly on purpose to play a spoofed answer (bogus).
 *
 * <pre>{@code
 * TestZone clinic = TestZone.named("clinic.example")
 *     .cert("bob.clinic.example", bob.certificate())
 *     .mx(10, "mail.clinic.example").a("mail.clinic.example", "127.0.0.1")
 *     .signed();
 * responder.serve(clinic);
 * String anchor = clinic.trustAnchor().orElseThrow();   // "clinic.example. 3600 IN DS ..."
 * }</pre>
 */
public final class TestZone {
  private static final long TTL = 300;

  private final Name origin;
  private final List<Record> records = new ArrayList<>();
  private Map<Name, Map<Integer, RRset>> data;
  private String anchor;
  private KeyPair zoneKey;

  private TestZone(Name origin) {
    this.origin = origin;
    records.add(new SOARecord(origin, DClass.IN, TTL, name("ns." + origin), name("hostmaster." + origin),
        1, 3600, 600, 86400, 60));
    records.add(new NSRecord(origin, DClass.IN, TTL, name("ns." + origin)));
  }

  public static TestZone named(String origin) {
    return new TestZone(name(origin));
  }

  public Name origin() {
    return origin;
  }

  /** A CERT record of type PKIX holding the DER certificate (CD-02). */
  public TestZone cert(String owner, X509Certificate certificate) {
    return record(new CERTRecord(name(owner), DClass.IN, TTL, CERTRecord.PKIX, 0, 0, der(certificate)));
  }

  /** A CERT record of type IPKIX holding a URL where the certificate can be fetched (CD-02). */
  public TestZone certUrl(String owner, URI location) {
    return record(new CERTRecord(name(owner), DClass.IN, TTL, CERTRecord.CertificateType.IPKIX, 0, 0,
        location.toString().getBytes(StandardCharsets.US_ASCII)));
  }

  /** A CERT record of some other type (PGP, say) that Direct ignores. */
  public TestZone certOfType(String owner, int certType, byte[] data) {
    return record(new CERTRecord(name(owner), DClass.IN, TTL, certType, 0, 0, data));
  }

  /** An SMIMEA record (RFC 8162) for {@code address}: usage 3, full certificate. */
  public TestZone smimea(String address, X509Certificate certificate) {
    return record(new SMIMEARecord(smimeaName(address), DClass.IN, TTL, 3, 0, 0, der(certificate)));
  }

  /** A TLSA record (RFC 6698) at {@code owner}, e.g. {@code _25._tcp.mx1.clinic.example}. */
  public TestZone tlsa(String owner, int usage, int selector, int matchingType, byte[] data) {
    return record(new org.xbill.DNS.TLSARecord(name(owner), DClass.IN, TTL, usage, selector, matchingType, data));
  }

  public TestZone mx(int preference, String host) {
    return record(new MXRecord(origin, DClass.IN, TTL, preference, name(host)));
  }

  public TestZone mx(String owner, int preference, String host) {
    return record(new MXRecord(name(owner), DClass.IN, TTL, preference, name(host)));
  }

  public TestZone a(String owner, String ip) {
    try {
      return record(new ARecord(name(owner), DClass.IN, TTL, InetAddress.getByName(ip)));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  public TestZone srv(String owner, int priority, int weight, int port, String target) {
    return record(new SRVRecord(name(owner), DClass.IN, TTL, priority, weight, port, name(target)));
  }

  /** Any record, e.g. one parsed from master-file text with {@code Record.fromString}. */
  public TestZone record(Record r) {
    if (data != null) {
      throw new IllegalStateException("zone " + origin + " is already built");
    }
    if (!r.getName().subdomain(origin)) {
      throw new IllegalArgumentException(r.getName() + " is outside " + origin);
    }
    records.add(r);
    return this;
  }

  /** Finishes the zone unsigned. */
  public TestZone unsigned() {
    data = group(records);
    return this;
  }

  /** Finishes the zone, DNSSEC-signed with a fresh key; {@link #trustAnchor()} gives its DS record. */
  public TestZone signed() {
    return sign(false, null);
  }

  /**
   * Finishes the zone signed with the key of {@code earlier}, so validators that trust the
   * earlier zone's anchor accept this version too (a zone whose records changed).
   */
  public TestZone signedLike(TestZone earlier) {
    if (earlier.zoneKey == null) {
      throw new IllegalArgumentException(earlier.origin + " is not signed");
    }
    return sign(false, earlier.zoneKey);
  }

  /**
   * Finishes the zone signed with a fresh key, but with the signatures over every answer except
   * the key set damaged, as a spoofer without the zone key would produce: validators must call
   * the answers bogus.
   */
  public TestZone signedWithBadSignatures() {
    return sign(true, null);
  }

  /** The DS record (master-file text) a validator needs as trust anchor, when the zone is signed. */
  public Optional<String> trustAnchor() {
    return Optional.ofNullable(anchor);
  }

  /**
   * The zone in master-file format, signatures and NSEC records included, for a real
   * authoritative server (NSD, BIND) to serve exactly what {@link DnsResponder} would.
   */
  public String masterText() {
    StringBuilder b = new StringBuilder("$ORIGIN ").append(origin).append('\n');
    for (Map<Integer, RRset> byType : data().values()) {
      for (RRset set : byType.values()) {
        set.rrs().forEach(r -> b.append(r).append('\n'));
        set.sigs().forEach(r -> b.append(r).append('\n'));
      }
    }
    return b.toString();
  }

  Map<Name, Map<Integer, RRset>> data() {
    if (data == null) {
      unsigned();
    }
    return data;
  }

  boolean isSigned() {
    return anchor != null;
  }

  /** The SOA record set, for negative answers. */
  RRset soa() {
    return data().get(origin).get(Type.SOA);
  }

  /** The NSEC set proving that nothing exists between {@code owner} and the next name. */
  Optional<RRset> nsecCovering(Name qname) {
    Name before = null;
    for (Name n : new TreeSet<>(data().keySet())) {
      if (n.compareTo(qname) <= 0) {
        before = n;
      }
    }
    return before == null ? Optional.empty() : Optional.ofNullable(data().get(before).get(Type.NSEC));
  }

  /** The name whose NSEC shows a wildcard does not exist: the closest existing ancestor's '*'. */
  Name wildcardFor(Name qname) {
    Name parent = qname;
    while (parent.labels() > origin.labels()) {
      parent = new Name(parent, 1);
      if (exists(parent)) {
        break;
      }
    }
    try {
      return Name.concatenate(Name.fromConstantString("*"), parent);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when {@code n} owns records or has descendants that do (an empty non-terminal). */
  boolean exists(Name n) {
    if (data().containsKey(n)) {
      return true;
    }
    return data().keySet().stream().anyMatch(k -> k.subdomain(n));
  }

  private TestZone sign(boolean damage, KeyPair reuse) {
    try {
      KeyPair kp = reuse;
      if (kp == null) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        kp = g.generateKeyPair();
      }
      zoneKey = kp;
      DNSKEYRecord key = new DNSKEYRecord(origin, DClass.IN, TTL, 257, 3, DNSSEC.Algorithm.ECDSAP256SHA256,
          kp.getPublic());
      List<Record> all = new ArrayList<>(records);
      all.add(key);
      Map<Name, Map<Integer, RRset>> unsignedSets = group(all);
      // NSEC chain in canonical order, last name points back at the apex (RFC 4034 section 4.1.1)
      List<Name> names = new ArrayList<>(new TreeSet<>(unsignedSets.keySet()));
      for (int i = 0; i < names.size(); i++) {
        Name n = names.get(i);
        Name next = names.get((i + 1) % names.size());
        TreeSet<Integer> types = new TreeSet<>(unsignedSets.get(n).keySet());
        types.add(Type.RRSIG);
        types.add(Type.NSEC);
        all.add(new NSECRecord(n, DClass.IN, 60, next, types.stream().mapToInt(Integer::intValue).toArray()));
      }
      Map<Name, Map<Integer, RRset>> grouped = group(all);
      Instant inception = Instant.now().minus(Duration.ofHours(1));
      Instant expiry = Instant.now().plus(Duration.ofDays(30));
      for (Map<Integer, RRset> byType : grouped.values()) {
        for (RRset set : byType.values()) {
          RRSIGRecord sig = DNSSEC.sign(set, key, kp.getPrivate(), inception, expiry);
          if (damage && set.getType() != Type.DNSKEY) {
            byte[] bytes = sig.getSignature().clone();
            bytes[bytes.length / 2] ^= 0x5a;
            sig = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(),
                sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(),
                sig.getSigner(), bytes);
          }
          set.addRR(sig);
        }
      }
      data = grouped;
      anchor = new DSRecord(origin, DClass.IN, TTL, DNSSEC.Digest.SHA256, key).toString();
      return this;
    } catch (java.security.GeneralSecurityException | DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot sign test zone " + origin, e);
    }
  }

  private static Map<Name, Map<Integer, RRset>> group(List<Record> records) {
    Map<Name, Map<Integer, RRset>> out = new TreeMap<>();
    for (Record r : records) {
      out.computeIfAbsent(r.getName(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.getType(), k -> new RRset()).addRR(r);
    }
    return out;
  }

  /** The RFC 8162 owner name for {@code address}: SHA-256 of the local part, 28 octets, hex. */
  public static Name smimeaName(String address) {
    int at = address.lastIndexOf('@');
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(address.substring(0, at).getBytes(StandardCharsets.UTF_8));
      return name(HexFormat.of().formatHex(Arrays.copyOf(hash, 28)) + "._smimecert." + address.substring(at + 1));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Name name(String s) {
    try {
      return Name.fromString(s.endsWith(".") ? s : s + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad DNS name " + s, e);
    }
  }
}
