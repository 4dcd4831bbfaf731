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
   * {@code text} with control characters and bidirectional overrides shown escaped ({@code \x1b},
   * {@code \u202e}): text from a message (a subject, a sender, a file name) must not reach the
   * terminal as escape sequences that clear the screen, set the title or fake a verdict.
   */
  static String safe(String text) {
    return escape(text, false);
  }

  /** As {@link #safe}, for a message's text: line breaks and tabs stay, everything else is escaped. */
  static String safeText(String text) {
    return escape(text.replace("\r\n", "\n"), true);
  }

  private static String escape(String text, boolean multiLine) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (multiLine && (c == '\n' || c == '\t')) {
        b.append((char) c);
      } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
          || (c >= 0x2066 && c <= 0x2069)) {
        b.append(c < 0x100 ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
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
