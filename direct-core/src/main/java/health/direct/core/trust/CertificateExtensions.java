package health.direct.core.trust;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Reads the URLs that path validation follows: CRL distribution points and AIA entries. */
final class CertificateExtensions {
  private CertificateExtensions() {}

  static List<URI> crlDistributionPoints(X509Certificate cert) {
    List<URI> out = new ArrayList<>();
    ASN1Primitive value = extension(cert, Extension.cRLDistributionPoints);
    if (value == null) {
      return out;
    }
    try {
      for (DistributionPoint dp : CRLDistPoint.getInstance(value).getDistributionPoints()) {
        DistributionPointName name = dp.getDistributionPoint();
        if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
          addUris(GeneralNames.getInstance(name.getName()).getNames(), out);
        }
      }
    } catch (RuntimeException e) {
      // malformed extension: nothing to follow; the caller reports "no revocation information"
    }
    return out;
  }

  static List<URI> caIssuers(X509Certificate cert) {
    return aia(cert, AccessDescription.id_ad_caIssuers);
  }

  static List<URI> ocspResponders(X509Certificate cert) {
    return aia(cert, AccessDescription.id_ad_ocsp);
  }

  private static List<URI> aia(X509Certificate cert, ASN1ObjectIdentifier method) {
    List<URI> out = new ArrayList<>();
    ASN1Primitive value = extension(cert, Extension.authorityInfoAccess);
    if (value == null) {
      return out;
    }
    try {
      for (AccessDescription ad : AuthorityInformationAccess.getInstance(value).getAccessDescriptions()) {
        if (ad.getAccessMethod().equals(method)) {
          addUris(new GeneralName[] {ad.getAccessLocation()}, out);
        }
      }
    } catch (RuntimeException e) {
      // malformed extension: nothing to follow
    }
    return out;
  }

  private static void addUris(GeneralName[] names, List<URI> out) {
    for (GeneralName n : names) {
      if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
        String s = n.getName().toString();
        if (s.startsWith("http://") || s.startsWith("https://")) {
          try {
            out.add(URI.create(s));
          } catch (IllegalArgumentException ignored) {
            // not a usable URL
          }
        }
      }
    }
  }

  private static ASN1Primitive extension(X509Certificate cert, ASN1ObjectIdentifier oid) {
    byte[] raw = cert.getExtensionValue(oid.getId());
    if (raw == null) {
      return null;
    }
    try {
      return JcaX509ExtensionUtils.parseExtensionValue(raw);
    } catch (IOException e) {
      return null;
    }
  }
}
