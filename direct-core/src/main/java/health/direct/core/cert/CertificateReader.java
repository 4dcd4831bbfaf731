package health.direct.core.cert;

import health.direct.core.FaultWords;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads X.509 certificates from PEM (one or many), DER, or a PKCS#7 bundle (.p7b/.p7c, PEM or
 * DER), the formats trust bundles and AIA caIssuers answers come in (TR-02).
 *
 * <pre>{@code
 * List<X509Certificate> anchors = CertificateReader.read(Files.readAllBytes(p), p.toString());
 * }</pre>
 */
public final class CertificateReader {
  private CertificateReader() {}

  /**
   * Returns every certificate in {@code data}; never an empty list.
   *
   * @param source where the bytes came from, for the error message
   * @throws CertificateParseException when nothing readable is there
   */
  public static List<X509Certificate> read(byte[] data, String source) {
    if (data == null || data.length == 0) {
      throw new CertificateParseException(source, "it is empty", null);
    }
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      String text = looksLikeText(data) ? new String(data, StandardCharsets.US_ASCII) : null;
      Collection<? extends java.security.cert.Certificate> certs;
      if (text != null && text.contains("-----BEGIN PKCS7-----")) {
        certs = cf.generateCertificates(new ByteArrayInputStream(data));
      } else if (text != null && !text.contains("-----BEGIN CERTIFICATE-----")) {
        throw new CertificateParseException(source,
            "it is text but holds no '-----BEGIN CERTIFICATE-----' or PKCS7 block", null);
      } else {
        certs = cf.generateCertificates(new ByteArrayInputStream(data));
      }
      List<X509Certificate> out = new ArrayList<>();
      for (java.security.cert.Certificate c : certs) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new CertificateParseException(source, "no certificate found in it", null);
      }
      return List.copyOf(out);
    } catch (CertificateException | RuntimeException e) {
      if (e instanceof CertificateParseException cpe) {
        throw cpe;
      }
      if (FaultWords.endsTooEarly(e)) {
        throw new CertificateParseException(source, "it ends too early (cut off, or not a whole certificate)", e);
      }
      String detail = FaultWords.programmingFault(e) ? "" : FaultWords.scrub(FaultWords.rootMessage(e));
      throw new CertificateParseException(source, "not PEM, DER or PKCS#7" + (detail.isEmpty() ? "" : " (" + detail + ")"), e);
    }
  }

  /** Reads exactly one certificate; more than one is an error because the caller could not tell which. */
  public static X509Certificate readOne(byte[] data, String source) {
    List<X509Certificate> all = read(data, source);
    if (all.size() != 1) {
      throw new CertificateParseException(source, "expected one certificate, found " + all.size(), null);
    }
    return all.get(0);
  }

  /** Reads a CRL in DER or PEM. */
  public static X509CRL readCrl(byte[] data, String source) {
    try {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(data));
    } catch (CertificateException | CRLException | RuntimeException e) {
      throw new CertificateParseException(source, "not a CRL (" + e.getMessage() + ")", e);
    }
  }

  private static boolean looksLikeText(byte[] data) {
    int n = Math.min(data.length, 64);
    for (int i = 0; i < n; i++) {
      int b = data[i] & 0xff;
      if (b != '\r' && b != '\n' && b != '\t' && (b < 0x20 || b > 0x7e)) {
        return false;
      }
    }
    return true;
  }
}
