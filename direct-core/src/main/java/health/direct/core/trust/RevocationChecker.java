package health.direct.core.trust;

import health.direct.core.DirectException;
import health.direct.core.cert.CertificateReader;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Revocation by OCSP (when the certificate names a responder) and CRL (TR-05). A CRL is used only
 * after its own signature verifies against the issuer's key and while it is current; CRLs are
 * cached until their nextUpdate, so a busy receiver fetches each one once per publication.
 */
final class RevocationChecker {
  private static final Duration MAX_CRL_AGE_WITHOUT_NEXT_UPDATE = Duration.ofHours(24);

  private final Clock clock;
  private final RemoteFetcher fetcher;
  private final Map<URI, X509CRL> crlCache = new ConcurrentHashMap<>();

  RevocationChecker(Clock clock, RemoteFetcher fetcher) {
    this.clock = clock;
    this.fetcher = fetcher;
  }

  RevocationStatus check(X509Certificate cert, X509Certificate issuer) {
    List<URI> ocsp = CertificateExtensions.ocspResponders(cert);
    List<URI> crls = CertificateExtensions.crlDistributionPoints(cert);
    if (ocsp.isEmpty() && crls.isEmpty()) {
      return new RevocationStatus.NotPublished();
    }
    List<String> failures = new ArrayList<>();
    for (URI responder : ocsp) {
      try {
        return ocsp(cert, issuer, responder);
      } catch (DirectException | GeneralSecurityException | IOException | OCSPException
          | OperatorCreationException e) {
        failures.add("OCSP " + responder + ": " + e.getMessage());
      }
    }
    for (URI url : crls) {
      try {
        X509CRL crl = currentCrl(url, issuer);
        X509CRLEntry entry = crl.getRevokedCertificate(cert.getSerialNumber());
        if (entry != null && !entry.getRevocationDate().toInstant().isAfter(clock.instant())) {
          return new RevocationStatus.Revoked("CRL " + url, entry.getRevocationDate().toInstant());
        }
        Instant until = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        return new RevocationStatus.Good("CRL " + url, until);
      } catch (DirectException e) {
        failures.add("CRL " + url + ": " + e.getMessage());
      }
    }
    return new RevocationStatus.Unknown(String.join("; ", failures));
  }

  private X509CRL currentCrl(URI url, X509Certificate issuer) {
    X509CRL cached = crlCache.get(url);
    if (cached != null && isCurrent(cached) && cached.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return cached;
    }
    X509CRL crl = CertificateReader.readCrl(fetcher.get(url), url.toString());
    if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new DirectException(health.direct.core.Problem.UNTRUSTED, "the CRL was issued by "
          + crl.getIssuerX500Principal() + ", not by " + issuer.getSubjectX500Principal());
    }
    try {
      crl.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new DirectException(health.direct.core.Problem.UNTRUSTED,
          "the CRL's signature does not verify with the issuer's key (" + e.getMessage() + ")", e);
    }
    if (!isCurrent(crl)) {
      throw new DirectException(health.direct.core.Problem.UNTRUSTED, "the CRL is not current (thisUpdate "
          + crl.getThisUpdate().toInstant() + ", nextUpdate "
          + (crl.getNextUpdate() == null ? "none" : crl.getNextUpdate().toInstant()) + ")");
    }
    crlCache.put(url, crl);
    return crl;
  }

  private boolean isCurrent(X509CRL crl) {
    Instant now = clock.instant();
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(now.plus(Duration.ofMinutes(5)))) {
      return false;
    }
    if (crl.getNextUpdate() == null) {
      return now.isBefore(thisUpdate.plus(MAX_CRL_AGE_WITHOUT_NEXT_UPDATE));
    }
    return now.isBefore(crl.getNextUpdate().toInstant());
  }

  private RevocationStatus ocsp(X509Certificate cert, X509Certificate issuer, URI responder)
      throws GeneralSecurityException, IOException, OCSPException, OperatorCreationException {
    DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
    CertificateID id = new CertificateID(digests.get(CertificateID.HASH_SHA1),
        new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
    OCSPReq request = new OCSPReqBuilder().addRequest(id).build();
    OCSPResp response = new OCSPResp(fetcher.post(responder, "application/ocsp-request", request.getEncoded()));
    if (response.getStatus() != OCSPResp.SUCCESSFUL) {
      throw new IOException("responder status " + response.getStatus());
    }
    if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
      throw new IOException("not a basic OCSP response");
    }
    X509CertificateHolder signer = ocspSigner(basic, issuer);
    if (!basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer))) {
      throw new GeneralSecurityException("the OCSP response signature does not verify");
    }
    Instant now = clock.instant();
    for (SingleResp single : basic.getResponses()) {
      if (!single.getCertID().equals(id)) {
        continue;
      }
      if (single.getNextUpdate() != null && now.isAfter(single.getNextUpdate().toInstant())) {
        throw new IOException("the OCSP answer is stale");
      }
      CertificateStatus status = single.getCertStatus();
      if (status == CertificateStatus.GOOD) {
        return new RevocationStatus.Good("OCSP " + responder,
            single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant());
      }
      if (status instanceof RevokedStatus revoked) {
        return new RevocationStatus.Revoked("OCSP " + responder, revoked.getRevocationTime().toInstant());
      }
      throw new IOException("the responder does not know the certificate");
    }
    throw new IOException("the OCSP response does not cover serial " + cert.getSerialNumber().toString(16));
  }

  /** The issuer itself, or a delegated responder certificate it issued with id-kp-OCSPSigning. */
  private static X509CertificateHolder ocspSigner(BasicOCSPResp basic, X509Certificate issuer)
      throws GeneralSecurityException, OperatorCreationException {
    JcaX509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
    if (basic.getResponderId().equals(new org.bouncycastle.cert.ocsp.RespID(issuerHolder.getSubject()))
        || basic.getCerts().length == 0) {
      return issuerHolder;
    }
    for (X509CertificateHolder c : basic.getCerts()) {
      if (c.getIssuer().equals(issuerHolder.getSubject())
          && c.getExtensions() != null
          && org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(c.getExtensions()) != null
          && org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(c.getExtensions())
              .hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
        try {
          if (c.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))) {
            return c;
          }
        } catch (org.bouncycastle.cert.CertException e) {
          // try the next one
        }
      }
    }
    return issuerHolder;
  }

}
