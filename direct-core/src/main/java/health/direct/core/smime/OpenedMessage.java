package health.direct.core.smime;

import health.direct.core.io.SecureFiles;
import jakarta.mail.internet.InternetHeaders;
import health.direct.core.mime.Region;
import health.direct.core.mime.MimeLayout;
import health.direct.core.mime.CrlfInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link MessageOpener} found in a message: the facts, not a verdict. Holds decrypted content
 * in owner-only temporary files that {@link #close()} deletes.
 */
public final class OpenedMessage implements AutoCloseable {
  private final InternetHeaders outerHeaders;
  private final boolean encrypted;
  private final String encryption;
  private final String keyTransport;
  private final X509Certificate decryptedFor;
  private final boolean signed;
  private final List<SignerCheck> signers;
  private final List<X509Certificate> certificates;
  private final Region content;
  private final InternetHeaders contentHeaders;
  private final long contentBodyStart;
  private final boolean wrapped;
  private final List<Path> temporaryFiles;

  OpenedMessage(InternetHeaders outerHeaders, boolean encrypted, String encryption, String keyTransport,
      X509Certificate decryptedFor, boolean signed, List<SignerCheck> signers, List<X509Certificate> certificates,
      Region content, InternetHeaders contentHeaders, long contentBodyStart, List<Path> temporaryFiles) {
    this.outerHeaders = outerHeaders;
    this.encrypted = encrypted;
    this.encryption = encryption;
    this.keyTransport = keyTransport;
    this.decryptedFor = decryptedFor;
    this.signed = signed;
    this.signers = List.copyOf(signers);
    this.certificates = List.copyOf(certificates);
    this.content = content;
    this.contentHeaders = contentHeaders;
    this.contentBodyStart = contentBodyStart;
    this.wrapped = contentHeaders != null && isMessageRfc822(contentHeaders);
    this.temporaryFiles = List.copyOf(temporaryFiles);
  }

  static OpenedMessage unsecured(InternetHeaders outer, boolean signedOnly, List<Path> temps) {
    return new OpenedMessage(outer, false, null, null, null, signedOnly, List.of(), List.of(), null, null, -1, temps);
  }

  private static boolean isMessageRfc822(InternetHeaders h) {
    String ct = h.getHeader("Content-Type", null);
    return ct != null && ct.trim().toLowerCase(Locale.ROOT).startsWith("message/rfc822");
  }

  public boolean encrypted() {
    return encrypted;
  }

  public Optional<String> encryption() {
    return Optional.ofNullable(encryption);
  }

  public Optional<String> keyTransport() {
    return Optional.ofNullable(keyTransport);
  }

  public Optional<X509Certificate> decryptedFor() {
    return Optional.ofNullable(decryptedFor);
  }

  public boolean signed() {
    return signed;
  }

  public List<SignerCheck> signers() {
    return signers;
  }

  /** Every certificate the signature carried: candidates for path building. */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** True when the signed content is a whole message/rfc822 (AS-04). */
  public boolean wrapped() {
    return wrapped;
  }

  /** A header of the outer (transport) message. */
  public Optional<String> outerHeader(String name) {
    return Optional.ofNullable(outerHeaders.getHeader(name, ","));
  }

  /** The headers of the message the user will read: the inner message when wrapped, else the outer. */
  public InternetHeaders messageHeaders() {
    if (!wrapped) {
      return outerHeaders;
    }
    if (innerHeaders == null) {
      // read once: the judgement reads From from them, the receiver the rest
      innerHeaders = MimeLayout.readHeaders(content.slice(contentBodyStart, content.end()), "the wrapped message")
          .headers();
    }
    return innerHeaders;
  }

  private InternetHeaders innerHeaders;

  /**
   * Writes the plain message: the wrapped inner message as it was signed, or for an unwrapped
   * message the outer routing headers followed by the signed entity.
   */
  public void writePlainMessage(OutputStream out) throws IOException {
    if (content == null) {
      throw new IllegalStateException("nothing was decrypted");
    }
    if (wrapped) {
      String cte = contentHeaders.getHeader("Content-Transfer-Encoding", null);
      try (InputStream in = content.slice(contentBodyStart, content.end()).open()) {
        InputStream body = in;
        if (cte != null && (cte.trim().equalsIgnoreCase("base64") || cte.trim().equalsIgnoreCase("quoted-printable"))) {
          body = jakarta.mail.internet.MimeUtility.decode(in, cte.trim());
        }
        body.transferTo(out);
      } catch (jakarta.mail.MessagingException e) {
        throw new IOException("cannot decode the wrapped message: " + e.getMessage(), e);
      }
      return;
    }
    StringBuilder b = new StringBuilder();
    Enumeration<String> lines = outerHeaders.getAllHeaderLines();
    while (lines.hasMoreElements()) {
      String line = lines.nextElement();
      String lower = line.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("content-") && !lower.startsWith("mime-version")) {
        b.append(line).append("\r\n");
      }
    }
    b.append("MIME-Version: 1.0\r\n");
    out.write(b.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    try (InputStream in = content.open()) {
      in.transferTo(out);
    }
  }

  @Override
  public void close() {
    temporaryFiles.forEach(SecureFiles::deleteQuietly);
  }
}
