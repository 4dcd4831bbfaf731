package health.direct.core.store;

import health.direct.core.cert.CertificateNames;
import health.direct.core.io.SecureFiles;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.cert.CertificateReader;
import health.direct.core.cert.KeyPurpose;
import health.direct.core.smime.DecryptionKey;
import health.direct.core.smime.SigningIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.PBEParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Local identities (arc 2): one PKCS#12 file per private key, encrypted with the store password
 * (PBES2, PBKDF2-HMAC-SHA256, AES-256; HMAC-SHA256 integrity), owner-only, next to a public PEM
 * copy of its chain so listing needs no password. Several identities per address are allowed
 * (separate signing and encryption certificates, renewals); the newest usable one is chosen.
 *
 * <pre>{@code
 * IdentityStore ids = new IdentityStore(home, PasswordSource.env("DIRECT_PASSWORD"), clock);
 * ids.importPkcs12(bytes, p12Password, Optional.empty());
 * SigningIdentity me = ids.signingIdentity(DirectAddress.parse("alice@hospital.example")).orElseThrow();
 * }</pre>
 */
public final class IdentityStore implements health.direct.core.smime.LocalIdentities {
  private static final String P12 = ".p12";
  private static final String CHAIN = ".chain.pem";
  private static final String PENDING = ".pending.p12";
  private static final String KEY_PROTECTION = "PBEWithHmacSHA256AndAES_256";
  private static final int PBE_ITERATIONS = 100_000;

  private final DirectHome home;
  private final PasswordSource password;
  private final Clock clock;
  private final Map<Path, PrivateKey> keys = new HashMap<>();

  private record Loaded(String owner, PrivateKey key, List<X509Certificate> chain) {}

  public IdentityStore(DirectHome home, PasswordSource password, Clock clock) {
    this.home = home;
    this.password = password;
    this.clock = clock;
  }

  /** Every identity, from the public chain files; asks for no password. */
  public List<IdentityInfo> list() {
    List<IdentityInfo> out = new ArrayList<>();
    for (Entry e : entries()) {
      out.add(info(e.owner(), e.chain().get(0), false));
    }
    for (Path pending : files(PENDING)) {
      String name = pending.getFileName().toString();
      out.add(new IdentityInfo(name.substring(0, name.length() - PENDING.length()), null, "(certificate requested)",
          null, null, false, false, true));
    }
    out.sort(Comparator.comparing(IdentityInfo::owner));
    return out;
  }

  /**
   * Imports a PKCS#12 file (key and chain) and re-encrypts it under the store password.
   *
   * @param address the address it speaks for; when empty, taken from the certificate
   * @throws DirectException when the file cannot be read or the certificate is not bound to the address
   */
  public IdentityInfo importPkcs12(byte[] p12, char[] p12Password, Optional<DirectAddress> address) {
    PrivateKey key = null;
    List<X509Certificate> chain = new ArrayList<>();
    try {
      KeyStore in = KeyStore.getInstance("PKCS12");
      in.load(new ByteArrayInputStream(p12), p12Password);
      Enumeration<String> aliases = in.aliases();
      while (aliases.hasMoreElements()) {
        String alias = aliases.nextElement();
        if (in.isKeyEntry(alias)) {
          if (key != null) {
            throw new DirectException(Problem.MALFORMED_INPUT,
                "the PKCS#12 file holds more than one private key; import them one at a time");
          }
          key = (PrivateKey) in.getKey(alias, p12Password);
          for (Certificate c : in.getCertificateChain(alias)) {
            chain.add((X509Certificate) c);
          }
        }
      }
    } catch (IOException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "cannot open the PKCS#12 file: "
          + (e.getCause() instanceof java.security.UnrecoverableKeyException ? "wrong password" : e.getMessage()), e);
    } catch (GeneralSecurityException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "cannot open the PKCS#12 file: " + e.getMessage(), e);
    }
    if (key == null || chain.isEmpty()) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the PKCS#12 file holds no private key with a certificate");
    }
    X509Certificate cert = chain.get(0);
    String owner = ownerFor(cert, address);
    store(owner, key, chain);
    return info(owner, cert, false);
  }

  /**
   * Generates a key pair for {@code address} and returns a PKCS#10 request (PEM) to hand to a CA;
   * the key waits, encrypted, until {@link #installCertificate} receives the answer.
   */
  public String createRequest(DirectAddress address, int rsaBits) {
    if (rsaBits < 2048) {
      throw new DirectException(Problem.USAGE, "RSA keys must have at least 2048 bits (AS-14)");
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(rsaBits, new SecureRandom());
      KeyPair kp = g.generateKeyPair();
      X500Name subject = new X500Name("CN=" + address);
      ExtensionsGenerator ext = new ExtensionsGenerator();
      ext.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.rfc822Name, address.toString())));
      ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(subject, kp.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
          .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()));
      // PKCS#12 needs a certificate beside a key: a self-signed placeholder, replaced on install
      Instant now = clock.instant();
      X509Certificate placeholder = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
          subject, BigInteger.ONE, java.util.Date.from(now), java.util.Date.from(now.plus(Duration.ofDays(1))),
          subject, kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
      writeP12(home.identities().resolve(address.canonical() + PENDING), kp.getPrivate(), List.of(placeholder));
      StringWriter w = new StringWriter();
      try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
        pem.writeObject(csr);
      }
      return w.toString();
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new StoreException("cannot create a key for " + address + ": " + e.getMessage(), e);
    }
  }

  /**
   * Installs a CA's answer to {@link #createRequest}: finds the pending key whose public key
   * matches the certificate, and makes it an identity.
   */
  public IdentityInfo installCertificate(List<X509Certificate> chain) {
    X509Certificate cert = chain.get(0);
    for (Path pending : files(PENDING)) {
      Loaded l = loadP12(pending);
      if (l.chain().get(0).getPublicKey().equals(cert.getPublicKey())) {
        String name = pending.getFileName().toString();
        DirectAddress address = DirectAddress.parse(name.substring(0, name.length() - PENDING.length()));
        String owner = ownerFor(cert, Optional.of(address));
        store(owner, l.key(), chain);
        try {
          Files.delete(pending);
        } catch (IOException e) {
          throw new StoreException("installed, but cannot remove " + pending + ": " + e.getMessage(), e);
        }
        return info(owner, cert, false);
      }
    }
    throw new DirectException(Problem.NOT_FOUND, "no pending key matches the certificate for "
        + CertificateNames.subject(cert) + " (create one with 'direct identity create')");
  }

  /** The identity to sign as {@code from}: address-bound first, then domain-bound; valid now. */
  @Override
  public Optional<SigningIdentity> signingIdentity(DirectAddress from) {
    return choose(from, KeyPurpose.SIGNING).map(e -> new SigningIdentity(keyOf(e), e.chain()));
  }

  /** The certificate to encrypt the sender's own copy for (needs no password). */
  @Override
  public Optional<X509Certificate> encryptionCertificate(DirectAddress owner) {
    return choose(owner, KeyPurpose.ENCRYPTION).map(e -> e.chain().get(0));
  }

  /**
   * Every local key, for decrypting whatever arrives. Each key is decrypted from its file only
   * when a message turns out to be encrypted for its certificate.
   */
  @Override
  public List<DecryptionKey> decryptionKeys() {
    return entries().stream().map(e -> new DecryptionKey(e.chain().get(0), () -> keyOf(e))).toList();
  }

  /** An identity's owner (address or domain) and its public certificate chain, leaf first. */
  public record PublicIdentity(String owner, List<X509Certificate> chain) {
    public PublicIdentity {
      chain = List.copyOf(chain);
    }
  }

  /** Every identity's public chain, for publishing in DNS or LDAP (CD-13); asks for no password. */
  public List<PublicIdentity> publicIdentities() {
    return entries().stream().map(e -> new PublicIdentity(e.owner(), e.chain()))
        .sorted(Comparator.comparing(PublicIdentity::owner)).toList();
  }

  /** One identity as its public chain file shows it; the key stays encrypted until asked for. */
  private record Entry(String owner, Path keyFile, List<X509Certificate> chain) {}

  private Optional<Entry> choose(DirectAddress address, KeyPurpose purpose) {
    Instant now = clock.instant();
    Comparator<Entry> newest = Comparator.comparing(e -> e.chain().get(0).getNotAfter());
    List<Entry> usable = entries().stream()
        .filter(e -> purpose.refusal(e.chain().get(0)).isEmpty())
        .filter(e -> !now.isAfter(e.chain().get(0).getNotAfter().toInstant())
            && !now.isBefore(e.chain().get(0).getNotBefore().toInstant()))
        .toList();
    Optional<Entry> exact = usable.stream().filter(e -> e.owner().equals(address.canonical())).max(newest);
    if (exact.isPresent()) {
      return exact;
    }
    return usable.stream().filter(e -> e.owner().equals(address.domain())).max(newest);
  }

  private List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (Path chainFile : files(CHAIN)) {
      String name = chainFile.getFileName().toString();
      Path keyFile = chainFile.resolveSibling(name.substring(0, name.length() - CHAIN.length()) + P12);
      if (Files.exists(keyFile)) {
        out.add(new Entry(ownerOf(chainFile, CHAIN), keyFile,
            CertificateReader.read(read(chainFile), chainFile.toString())));
      }
    }
    return out;
  }

  private PrivateKey keyOf(Entry e) {
    synchronized (keys) {
      return keys.computeIfAbsent(e.keyFile(), f -> loadP12(f).key());
    }
  }

  private Loaded loadP12(Path p) {
    char[] pw = password.get();
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(new ByteArrayInputStream(read(p)), pw);
      String alias = ks.aliases().nextElement();
      PrivateKey key = (PrivateKey) ks.getKey(alias, pw);
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : ks.getCertificateChain(alias)) {
        chain.add((X509Certificate) c);
      }
      String name = p.getFileName().toString();
      String owner = name.endsWith(PENDING) ? name.substring(0, name.length() - PENDING.length()) : ownerOf(p, P12);
      return new Loaded(owner, key, chain);
    } catch (IOException e) {
      throw new StoreException("cannot open " + p + ": the store password is wrong or the file is damaged", e);
    } catch (GeneralSecurityException e) {
      throw new StoreException("cannot open " + p + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private void store(String owner, PrivateKey key, List<X509Certificate> chain) {
    String base = owner + "_" + CertificateFingerprint.of(chain.get(0)).hex().substring(0, 16);
    writeP12(home.identities().resolve(base + P12), key, chain);
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      for (X509Certificate c : chain) {
        pem.writeObject(c);
      }
    } catch (IOException e) {
      throw new StoreException("cannot encode the certificate chain: " + e.getMessage(), e);
    }
    SecureFiles.writeAtomically(home.identities().resolve(base + CHAIN), w.toString().getBytes(StandardCharsets.US_ASCII));
    synchronized (keys) {
      keys.clear();
    }
  }

  /**
   * Refuses to add a key under a password other than the one the home's keys are already under:
   * the home would be split, and half of it could no longer be opened.
   */
  private void requireTheHomesPassword() {
    List<Path> existing = files(P12);
    if (existing.isEmpty()) {
      return;
    }
    try {
      loadP12(existing.get(0));
    } catch (StoreException e) {
      throw new StoreException("this home's keys (" + home.identities() + ") are under a different store password; "
          + "nothing was imported, so that the home is not split between two passwords: use the password "
          + "they were stored with", e);
    }
  }

  private void writeP12(Path file, PrivateKey key, List<X509Certificate> chain) {
    requireTheHomesPassword();
    char[] pw = password.get();
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      ks.setEntry("identity", new KeyStore.PrivateKeyEntry(key, chain.toArray(Certificate[]::new)),
          new KeyStore.PasswordProtection(pw, KEY_PROTECTION, new PBEParameterSpec(salt, PBE_ITERATIONS)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ks.store(out, pw);
      SecureFiles.writeAtomically(file, out.toByteArray());
    } catch (GeneralSecurityException | IOException e) {
      throw new StoreException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private static String ownerFor(X509Certificate cert, Optional<DirectAddress> address) {
    if (address.isPresent()) {
      CertificateBinding.Kind kind = CertificateBinding.of(cert, address.get());
      return switch (kind) {
        case ADDRESS -> address.get().canonical();
        case DOMAIN -> address.get().domain();
        case NONE -> throw new DirectException(Problem.MALFORMED_INPUT, "the certificate "
            + CertificateNames.subject(cert) + " is not bound to " + address.get()
            + ": its subjectAltName has neither that address (rfc822Name) nor its domain (dNSName) (AS-02)");
      };
    }
    List<String> mails = CertificateBinding.emailAddresses(cert);
    if (mails.size() == 1) {
      return DirectAddress.parse(mails.get(0)).canonical();
    }
    List<String> dns = CertificateBinding.dnsNames(cert);
    if (mails.isEmpty() && dns.size() == 1) {
      return dns.get(0).toLowerCase(Locale.ROOT);
    }
    throw new DirectException(Problem.USAGE, "cannot tell which address the certificate "
        + CertificateNames.subject(cert) + " speaks for (rfc822Names " + mails + ", dNSNames " + dns
        + "): give --address");
  }

  private IdentityInfo info(String owner, X509Certificate cert, boolean pending) {
    return new IdentityInfo(owner, CertificateFingerprint.of(cert), CertificateNames.subject(cert),
        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(),
        KeyPurpose.SIGNING.refusal(cert).isEmpty(), KeyPurpose.ENCRYPTION.refusal(cert).isEmpty(), pending);
  }

  private static String ownerOf(Path file, String suffix) {
    String name = file.getFileName().toString();
    String base = name.substring(0, name.length() - suffix.length());
    int us = base.lastIndexOf('_');
    return us > 0 ? base.substring(0, us) : base;
  }

  private List<Path> files(String suffix) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(home.identities())) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.identities(), "*" + suffix)) {
      ds.forEach(out::add);
    } catch (IOException e) {
      throw new StoreException("cannot list " + home.identities() + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new StoreException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
