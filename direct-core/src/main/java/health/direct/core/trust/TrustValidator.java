package health.direct.core.trust;

import health.direct.core.cert.CertificateNames;
import health.direct.core.DirectException;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.cert.CertificateReader;
import health.direct.core.cert.KeyPurpose;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Full RFC 5280 path validation to a configured anchor (AS-10): validity at the injected clock,
 * signatures, basicConstraints and CA key usage (the JDK's PKIX engine), the leaf's key usage for
 * its purpose (CD-11), intermediates from the message and from AIA caIssuers, and revocation of
 * every certificate on the path by OCSP or CRL (TR-05).
 *
 * <p>Positive decisions are cached for a short time (never beyond the leaf's expiry or a CRL's next
 * update), because a receiver sees the same few signers over and over.
 *
 * <pre>{@code
 * TrustValidator v = new TrustValidator(clock, fetcher, RevocationPolicy.STRICT);
 * TrustDecision d = v.validate(signerCert, certsFromMessage, anchors.forLocal(me), KeyPurpose.SIGNING);
 * }</pre>
 */
public final class TrustValidator {
  private static final int MAX_PATH = 8;
  private static final int CACHE_SIZE = 4096;
  private static final int MIN_RSA_BITS = 2048;

  private final Clock clock;
  private final RemoteFetcher fetcher;
  private final RevocationPolicy policy;
  private final Duration cacheTtl;
  private final RevocationChecker revocation;
  private final Map<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Cached> e) {
      return size() > CACHE_SIZE;
    }
  };

  private record Cached(TrustDecision.Trusted decision, Instant until) {}

  public TrustValidator(Clock clock, RemoteFetcher fetcher, RevocationPolicy policy) {
    this(clock, fetcher, policy, Duration.ofMinutes(5));
  }

  public TrustValidator(Clock clock, RemoteFetcher fetcher, RevocationPolicy policy, Duration cacheTtl) {
    this.clock = clock;
    this.fetcher = fetcher;
    this.policy = policy;
    this.cacheTtl = cacheTtl;
    this.revocation = new RevocationChecker(clock, fetcher);
  }

  /**
   * Decides whether {@code leaf} is trusted for {@code purpose} through one of {@code anchors}.
   *
   * @param extra certificates that may serve as intermediates (e.g. those in a signature)
   */
  public TrustDecision validate(X509Certificate leaf, Collection<X509Certificate> extra,
      Collection<X509Certificate> anchors, KeyPurpose purpose) {
    Instant now = clock.instant();
    if (anchors.isEmpty()) {
      return new TrustDecision.Untrusted(TrustDecision.Reason.NO_ANCHORS,
          "no trust anchor is configured for this address (add one with 'direct anchors add')");
    }
    String key = cacheKey(leaf, purpose, anchors);
    synchronized (cache) {
      Cached c = cache.get(key);
      if (c != null && now.isBefore(c.until())) {
        return c.decision();
      }
    }
    TrustDecision quick = leafChecks(leaf, purpose, now);
    if (quick != null) {
      return quick;
    }
    List<X509Certificate> pool = collectIntermediates(leaf, extra, anchors);
    PKIXCertPathBuilderResult built;
    try {
      built = buildPath(leaf, pool, anchors, now);
    } catch (CertPathBuilderException e) {
      return explainNoPath(leaf, pool, now, e);
    }
    List<X509Certificate> path = new ArrayList<>();
    for (java.security.cert.Certificate c : built.getCertPath().getCertificates()) {
      path.add((X509Certificate) c);
    }
    X509Certificate anchor = built.getTrustAnchor().getTrustedCert();
    List<String> notes = new ArrayList<>();
    Instant until = now.plus(cacheTtl);
    if (leaf.getNotAfter().toInstant().isBefore(until)) {
      until = leaf.getNotAfter().toInstant();
    }
    for (int i = 0; i < path.size(); i++) {
      X509Certificate cert = path.get(i);
      X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor;
      RevocationStatus status = revocation.check(cert, issuer);
      if (status instanceof RevocationStatus.Revoked r) {
        return new TrustDecision.Untrusted(TrustDecision.Reason.REVOKED, describe(cert) + " was revoked on "
            + r.revokedAt() + " (" + r.source() + ")");
      } else if (status instanceof RevocationStatus.Unknown u) {
        String msg = "revocation status of " + describe(cert) + " is unknown: " + u.why();
        if (policy == RevocationPolicy.STRICT) {
          return new TrustDecision.Untrusted(TrustDecision.Reason.REVOCATION_UNKNOWN, msg);
        }
        notes.add(msg);
      } else if (status instanceof RevocationStatus.NotPublished) {
        notes.add(describe(cert) + " names no CRL or OCSP responder");
      } else if (status instanceof RevocationStatus.Good g && g.validUntil() != null && g.validUntil().isBefore(until)) {
        until = g.validUntil();
      }
    }
    TrustDecision.Trusted trusted = new TrustDecision.Trusted(path, anchor, notes);
    if (notes.isEmpty()) {
      synchronized (cache) {
        cache.put(key, new Cached(trusted, until));
      }
    }
    return trusted;
  }

  private static TrustDecision leafChecks(X509Certificate leaf, KeyPurpose purpose, Instant now) {
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      return new TrustDecision.Untrusted(TrustDecision.Reason.EXPIRED,
          describe(leaf) + " expired on " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      return new TrustDecision.Untrusted(TrustDecision.Reason.NOT_YET_VALID,
          describe(leaf) + " is not valid before " + leaf.getNotBefore().toInstant());
    }
    var refusal = purpose.refusal(leaf);
    if (refusal.isPresent()) {
      return new TrustDecision.Untrusted(TrustDecision.Reason.KEY_USAGE, describe(leaf) + " cannot be used for "
          + purpose.name().toLowerCase(java.util.Locale.ROOT) + ": " + refusal.get());
    }
    if (leaf.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      return new TrustDecision.Untrusted(TrustDecision.Reason.WEAK_KEY, describe(leaf) + " has a "
          + rsa.getModulus().bitLength() + "-bit RSA key; at least " + MIN_RSA_BITS + " bits are required");
    }
    return null;
  }

  /** Walks issuer links from the leaf, fetching missing issuers from AIA caIssuers. */
  private List<X509Certificate> collectIntermediates(X509Certificate leaf, Collection<X509Certificate> extra,
      Collection<X509Certificate> anchors) {
    List<X509Certificate> pool = new ArrayList<>(extra);
    Set<String> seen = new HashSet<>();
    X509Certificate current = leaf;
    for (int depth = 0; depth < MAX_PATH; depth++) {
      if (selfIssued(current) || issuedByAny(current, anchors) != null) {
        break;
      }
      X509Certificate issuer = issuedByAny(current, pool);
      if (issuer == null) {
        issuer = fetchIssuer(current, seen);
        if (issuer == null) {
          break;
        }
        pool.add(issuer);
      }
      current = issuer;
    }
    return pool;
  }

  private X509Certificate fetchIssuer(X509Certificate cert, Set<String> seen) {
    for (URI uri : CertificateExtensions.caIssuers(cert)) {
      if (!seen.add(uri.toString())) {
        continue;
      }
      try {
        for (X509Certificate candidate : CertificateReader.read(fetcher.get(uri), uri.toString())) {
          if (issued(candidate, cert)) {
            return candidate;
          }
        }
      } catch (DirectException e) {
        // unreachable or unreadable: path building then reports that no path was found
      }
    }
    return null;
  }

  private static X509Certificate issuedByAny(X509Certificate cert, Collection<X509Certificate> candidates) {
    for (X509Certificate c : candidates) {
      if (issued(c, cert)) {
        return c;
      }
    }
    return null;
  }

  private static boolean issued(X509Certificate issuer, X509Certificate cert) {
    if (!issuer.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean selfIssued(X509Certificate c) {
    return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
  }

  private static PKIXCertPathBuilderResult buildPath(X509Certificate leaf, List<X509Certificate> pool,
      Collection<X509Certificate> anchors, Instant now) throws CertPathBuilderException {
    try {
      Set<java.security.cert.TrustAnchor> jdkAnchors = new HashSet<>();
      for (X509Certificate a : anchors) {
        jdkAnchors.add(new java.security.cert.TrustAnchor(a, null));
      }
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters params = new PKIXBuilderParameters(jdkAnchors, target);
      List<X509Certificate> store = new ArrayList<>(pool);
      store.add(leaf);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
      params.setRevocationEnabled(false); // revocation is ours: injected fetcher, CRL signature checks, caching
      params.setDate(Date.from(now));
      params.setMaxPathLength(MAX_PATH);
      return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
    } catch (CertPathBuilderException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new CertPathBuilderException(e.getMessage(), e);
    }
  }

  private static TrustDecision explainNoPath(X509Certificate leaf, List<X509Certificate> pool, Instant now,
      CertPathBuilderException e) {
    for (X509Certificate c : pool) {
      if (isOnChainOf(leaf, c, pool)) {
        if (c.getNotAfter().toInstant().isBefore(now)) {
          return new TrustDecision.Untrusted(TrustDecision.Reason.EXPIRED, "issuer " + describe(c) + " expired on "
              + c.getNotAfter().toInstant());
        }
        if (c.getNotBefore().toInstant().isAfter(now)) {
          return new TrustDecision.Untrusted(TrustDecision.Reason.NOT_YET_VALID, "issuer " + describe(c)
              + " is not valid before " + c.getNotBefore().toInstant());
        }
      }
    }
    return new TrustDecision.Untrusted(TrustDecision.Reason.NO_PATH, "no valid path from " + describe(leaf)
        + " (issued by " + CertificateNames.issuer(leaf) + ") to a configured trust anchor: "
        + e.getMessage());
  }

  private static boolean isOnChainOf(X509Certificate leaf, X509Certificate candidate, List<X509Certificate> pool) {
    X509Certificate current = leaf;
    for (int i = 0; i < MAX_PATH; i++) {
      X509Certificate issuer = issuedByAny(current, pool);
      if (issuer == null || issuer == current) {
        return false;
      }
      if (issuer.equals(candidate)) {
        return true;
      }
      current = issuer;
    }
    return false;
  }

  private static String cacheKey(X509Certificate leaf, KeyPurpose purpose, Collection<X509Certificate> anchors) {
    StringBuilder b = new StringBuilder(CertificateFingerprint.of(leaf).hex()).append('/').append(purpose);
    anchors.stream().map(a -> CertificateFingerprint.of(a).hex()).sorted().forEach(h -> b.append('/').append(h, 0, 16));
    return b.toString();
  }

  static String describe(X509Certificate c) {
    return "certificate '" + CertificateNames.subject(c) + "' (serial " + c.getSerialNumber().toString(16) + ")";
  }
}
