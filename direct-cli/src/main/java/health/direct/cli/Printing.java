package health.direct.cli;

import health.direct.core.cert.CertificateNames;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.store.IdentityInfo;
import java.io.PrintWriter;
import java.security.cert.X509Certificate;

/** Human-readable listings; never prints a key or a password. */
final class Printing {
  private Printing() {}

  /**
   * {@code text} with control characters shown as '?': text from a message (a subject, a sender)
   * must not reach the terminal as escape sequences that clear the screen or fake a verdict.
   */
  static String safe(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
        || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ? '?' : c));
    return b.toString();
  }

  static void identity(PrintWriter out, IdentityInfo i) {
    if (i.pending()) {
      out.printf("%s  (key created, waiting for its certificate)%n", i.owner());
      return;
    }
    out.printf("%s%n  subject      %s%n  sha-256      %s%n  valid        %s .. %s%n  usage        %s%n",
        i.owner(), i.subject(), i.fingerprint().colonForm(), i.notBefore(), i.notAfter(),
        (i.canSign() ? "sign " : "") + (i.canEncrypt() ? "encrypt" : ""));
  }

  static void certificate(PrintWriter out, X509Certificate c, DirectAddress boundTo) {
    out.printf("  subject      %s%n  issuer       %s%n  sha-256      %s%n  valid        %s .. %s%n",
        CertificateNames.subject(c), CertificateNames.issuer(c),
        CertificateFingerprint.of(c).colonForm(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
    if (boundTo != null) {
      CertificateBinding.Kind k = CertificateBinding.of(c, boundTo);
      out.printf("  binding      %s%n", k == CertificateBinding.Kind.NONE ? "NONE: not bound to " + boundTo
          : k.label() + "-bound (" + (k == CertificateBinding.Kind.ADDRESS ? boundTo : boundTo.domain()) + ")");
    }
  }
}
