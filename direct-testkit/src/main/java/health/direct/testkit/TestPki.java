package health.direct.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away public key infrastructure for tests and the sandbox: a root CA, an intermediate CA
 * and leaf certificates issued on demand, with CRLs and issuer certificates (AIA caIssuers) served
 * over HTTP on an ephemeral loopback port. Nothing is read from disk; every key is generated here.
 *
 * <pre>{@code
 * try (TestPki pki = TestPki.start(Clock.systemUTC())) {
 *   TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
 *   pki.revoke(alice.certificate());
 * }
 * }</pre>
 */
public final class TestPki implements AutoCloseable {

  private final Clock clock;
  private final HttpServer http;
  private final java.util.Map<String, byte[]> published = new java.util.concurrent.ConcurrentHashMap<>();
  private final String baseUrl;
  private final AtomicLong serials = new AtomicLong(1000);
  private final Map<String, TestCa> casByName = new ConcurrentHashMap<>();
  private final TestCa root;
  private final TestCa intermediate;

  private TestPki(Clock clock, HttpServer http) throws GeneralSecurityException {
    this.clock = clock;
    this.http = http;
    this.baseUrl = "http://127.0.0.1:" + http.getAddress().getPort();
    this.root = newCa("Direct Test Root CA", null, 1);
    this.intermediate = newCa("Direct Test Intermediate CA", root, 0);
    http.createContext("/crl/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring("/crl/".length()).replace(".crl", "");
      TestCa ca = casByName.get(name);
      byte[] body = ca == null ? null : ca.currentCrlDer();
      respond(exchange, body, "application/pkix-crl");
    });
    http.createContext("/ocsp/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring("/ocsp/".length());
      TestCa ca = casByName.get(name);
      byte[] body = null;
      if (ca != null && "POST".equals(exchange.getRequestMethod())) {
        try (java.io.InputStream in = exchange.getRequestBody()) {
          body = ocspAnswer(ca, in.readAllBytes());
        }
      }
      respond(exchange, body, "application/ocsp-response");
    });
    http.createContext("/certs/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring("/certs/".length());
      respond(exchange, published.get(name), "application/pkix-cert");
    });
    http.createContext("/aia/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring("/aia/".length()).replace(".cer", "");
      TestCa ca = casByName.get(name);
      byte[] body;
      try {
        body = ca == null ? null : ca.certificate().getEncoded();
      } catch (GeneralSecurityException e) {
        body = null;
      }
      respond(exchange, body, "application/pkix-cert");
    });
  }

  /** Starts the CRL/AIA server on 127.0.0.1 and an ephemeral port, and creates root and intermediate. */
  public static TestPki start(Clock clock) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.start();
      try {
        return new TestPki(clock, server);
      } catch (GeneralSecurityException | RuntimeException e) {
        server.stop(0);
        throw e;
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot start the test PKI: " + e.getMessage(), e);
    }
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, byte[] body, String type)
      throws IOException {
    try (exchange) {
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public Clock clock() {
    return clock;
  }

  public TestCa root() {
    return root;
  }

  public TestCa intermediate() {
    return intermediate;
  }

  /** The base URL of the CRL/AIA server, e.g. {@code http://127.0.0.1:40123}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** Creates a further CA, e.g. an unrelated root for "untrusted" cases. */
  public TestCa newCa(String name, TestCa issuer, int pathLength) throws GeneralSecurityException {
    KeyPair keys = rsa(2048);
    Instant now = clock.instant();
    String slug = slug(name);
    X500Name subject = new X500Name("CN=" + name + ",O=Direct Test PKI");
    X500Name issuerName = issuer == null ? subject : issuer.name();
    PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.privateKey();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial(),
          Date.from(now.minus(Duration.ofDays(30))), Date.from(now.plus(Duration.ofDays(3650))),
          subject, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      if (issuer != null) {
        b.addExtension(Extension.authorityKeyIdentifier, false,
            ext.createAuthorityKeyIdentifier(issuer.certificate()));
        addCrlAndAia(b, issuer);
      }
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(signingKey)));
      TestCa ca = new TestCa(this, slug, subject, keys.getPrivate(), cert);
      casByName.put(slug, ca);
      return ca;
    } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** Issues a leaf certificate as the spec says, by the intermediate unless the spec names a CA. */
  public TestIdentity issue(LeafSpec spec) {
    try {
      KeyPair keys = spec.keyType().generate();
      List<X509Certificate> chain = issueFor(spec, keys.getPublic());
      return new TestIdentity(keys.getPrivate(), chain.get(0), chain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a test certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Certifies a public key someone else holds (the answer to a certificate request): returns the
   * leaf and its chain without the root.
   */
  public List<X509Certificate> issueFor(LeafSpec spec, PublicKey publicKey) {
    TestCa issuer = spec.issuer() != null ? spec.issuer() : intermediate;
    try {
      Instant now = clock.instant();
      Instant notBefore = spec.notBefore() != null ? spec.notBefore() : now.minus(Duration.ofDays(1));
      Instant notAfter = spec.notAfter() != null ? spec.notAfter() : now.plus(Duration.ofDays(365));
      String cn = spec.address() != null ? spec.address() : spec.domain().split(",")[0];
      X500Name subject = new X500Name("CN=" + cn + ",O=Direct Test Users");
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.name(), serial(),
          Date.from(notBefore), Date.from(notAfter), subject, publicKey);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (spec.keyUsage() != 0) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(spec.keyUsage()));
      }
      List<GeneralName> names = new ArrayList<>();
      if (spec.address() != null) {
        names.add(new GeneralName(GeneralName.rfc822Name, spec.address()));
      }
      if (spec.domain() != null) {
        for (String host : spec.domain().split(",")) {
          names.add(new GeneralName(GeneralName.dNSName, host));
        }
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.certificate()));
      if (spec.withRevocationInfo()) {
        GeneralName crlUrl = new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl(issuer));
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(new DistributionPointName(new GeneralNames(crlUrl)), null, null)}));
      }
      if (spec.ocsp() || spec.withRevocationInfo()) {
        if (spec.ocsp()) {
          addOcsp(b, issuer, spec.withRevocationInfo());
        } else {
          b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
              new AccessDescription(AccessDescription.id_ad_caIssuers,
                  new GeneralName(GeneralName.uniformResourceIdentifier, aiaUrl(issuer)))));
        }
      }
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(issuer.privateKey())));
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(cert);
      for (TestCa ca = issuer; ca != null && ca.issuer() != null; ca = ca.issuer()) {
        chain.add(ca.certificate());
      }
      return List.copyOf(chain);
    } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a test certificate: " + e.getMessage(), e);
    }
  }

  TestCa caFor(javax.security.auth.x500.X500Principal subject) {
    return casByName.values().stream()
        .filter(ca -> ca.certificate().getSubjectX500Principal().equals(subject))
        .findFirst().orElse(null);
  }

  /** Puts the certificate on its issuer's CRL (served from the next request on). */
  public void revoke(X509Certificate certificate) {
    for (TestCa ca : casByName.values()) {
      if (ca.certificate().getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        ca.revoke(certificate.getSerialNumber());
        return;
      }
    }
    throw new IllegalArgumentException("no CA here issued " + certificate.getSubjectX500Principal());
  }

  X509CRL buildCrl(TestCa ca, Map<BigInteger, Instant> revoked) {
    try {
      Instant now = clock.instant();
      X509v2CRLBuilder b = new X509v2CRLBuilder(ca.name(), Date.from(now.minus(Duration.ofMinutes(5))));
      b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
      for (Map.Entry<BigInteger, Instant> e : revoked.entrySet()) {
        b.addCRLEntry(e.getKey(), Date.from(e.getValue()), CRLReason.keyCompromise);
      }
      b.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
      X509CRLHolder holder = b.build(signer(ca.revocationSigningKey()));
      return new JcaX509CRLConverter().getCRL(holder);
    } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot build a CRL: " + e.getMessage(), e);
    }
  }

  /** Answers an OCSP request for certificates {@code ca} issued: good, or revoked if on its list. */
  private byte[] ocspAnswer(TestCa ca, byte[] requestDer) {
    try {
      org.bouncycastle.cert.ocsp.OCSPReq req = new org.bouncycastle.cert.ocsp.OCSPReq(requestDer);
      org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder b = new org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder(
          new org.bouncycastle.cert.ocsp.RespID(ca.name()));
      Instant now = clock.instant();
      Map<BigInteger, Instant> revoked = ca.revoked();
      for (org.bouncycastle.cert.ocsp.Req r : req.getRequestList()) {
        Instant when = revoked.get(r.getCertID().getSerialNumber());
        org.bouncycastle.cert.ocsp.CertificateStatus status = when == null
            ? org.bouncycastle.cert.ocsp.CertificateStatus.GOOD
            : new org.bouncycastle.cert.ocsp.RevokedStatus(Date.from(when), CRLReason.keyCompromise);
        b.addResponse(r.getCertID(), status, Date.from(now.minus(Duration.ofMinutes(1))),
            Date.from(now.plus(Duration.ofHours(1))));
      }
      org.bouncycastle.cert.ocsp.BasicOCSPResp basic = b.build(signer(ca.revocationSigningKey()), null, Date.from(now));
      return new org.bouncycastle.cert.ocsp.OCSPRespBuilder()
          .build(org.bouncycastle.cert.ocsp.OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (IOException | org.bouncycastle.cert.ocsp.OCSPException
        | org.bouncycastle.operator.OperatorCreationException e) {
      return null;
    }
  }

  public String ocspUrl(TestCa ca) {
    return baseUrl + "/ocsp/" + ca.slug();
  }

  private void addOcsp(X509v3CertificateBuilder b, TestCa issuer, boolean withCaIssuers) throws IOException {
    List<AccessDescription> ads = new ArrayList<>();
    ads.add(new AccessDescription(AccessDescription.id_ad_ocsp,
        new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl(issuer))));
    if (withCaIssuers) {
      ads.add(new AccessDescription(AccessDescription.id_ad_caIssuers,
          new GeneralName(GeneralName.uniformResourceIdentifier, aiaUrl(issuer))));
    }
    b.addExtension(Extension.authorityInfoAccess, false,
        new AuthorityInformationAccess(ads.toArray(AccessDescription[]::new)));
  }

  private void addCrlAndAia(X509v3CertificateBuilder b, TestCa issuer) throws IOException {
    GeneralName crlUrl = new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl(issuer));
    DistributionPoint dp = new DistributionPoint(new DistributionPointName(new GeneralNames(crlUrl)), null, null);
    b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {dp}));
    AccessDescription caIssuers = new AccessDescription(AccessDescription.id_ad_caIssuers,
        new GeneralName(GeneralName.uniformResourceIdentifier, aiaUrl(issuer)));
    b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(caIssuers));
  }

  public String crlUrl(TestCa ca) {
    return baseUrl + "/crl/" + ca.slug() + ".crl";
  }

  /**
   * Serves {@code certificate} (DER) over HTTP and returns its URL, as a CERT record of type
   * IPKIX points to.
   */
  public java.net.URI publish(X509Certificate certificate) {
    try {
      String name = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(certificate.getEncoded())) + ".cer";
      published.put(name, certificate.getEncoded());
      return java.net.URI.create(baseUrl() + "/certs/" + name);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String aiaUrl(TestCa ca) {
    return baseUrl + "/aia/" + ca.slug() + ".cer";
  }

  private BigInteger serial() {
    return BigInteger.valueOf(serials.incrementAndGet()).shiftLeft(32).or(BigInteger.valueOf(new SecureRandom().nextInt() & 0x7fffffff));
  }

  static ContentSigner signer(PrivateKey key) throws org.bouncycastle.operator.OperatorCreationException {
    String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaContentSignerBuilder(alg).build(key);
  }

  static KeyPair rsa(int bits) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  static KeyPair ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  private static String slug(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
