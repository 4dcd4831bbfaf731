package health.direct.core.outgoing;

import health.direct.core.address.MessageId;
import health.direct.core.smime.LocalIdentities;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.mime.BodyShape;
import health.direct.core.mime.CrlfOutputStream;
import health.direct.core.mime.Region;
import health.direct.core.mime.MimeLayout;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.resolve.RecipientCertificates;
import health.direct.core.smime.EncryptionAlgorithm;
import health.direct.core.smime.MessageSealer;
import health.direct.core.smime.MimeEntityWriter;
import health.direct.core.smime.SealOptions;
import health.direct.core.smime.SigningIdentity;
import health.direct.core.trust.TrustAnchors;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a plain RFC 5322 message into a Direct message (arcs 1, 2 and 4's payload): picks the
 * signing identity for From, finds and validates each recipient's certificates, drops those that
 * cannot be secured (CD-12; nothing is ever sent unencrypted: the seed's risk 1), wraps the whole
 * original as message/rfc822 (AS-04) with Bcc removed, puts a non-revealing Subject outside
 * (risk 4), and signs then encrypts it for the recipients and the sender's own copy.
 *
 * <pre>{@code
 * SealResult r = processor.seal(Path.of("plain.eml"), out);
 * r.dropped().forEach(d -> System.err.println(d.reason()));
 * }</pre>
 */
public final class OutgoingProcessor {
  private static final List<String> OUTER_COPIED = List.of("From", "To", "Cc", "Date", "Message-ID");

  private final LocalIdentities identities;
  private final CertificateDiscovery discovery;
  private final TrustAnchors anchors;
  private final SealOptions options;
  private final MessageSealer sealer;
  private final Clock clock;

  public OutgoingProcessor(LocalIdentities identities, CertificateDiscovery discovery, TrustAnchors anchors,
      SealOptions options, MessageSealer sealer, Clock clock) {
    this.identities = identities;
    this.discovery = discovery;
    this.anchors = anchors;
    this.options = options;
    this.sealer = sealer;
    this.clock = clock;
  }

  /**
   * Seals {@code plain} into {@code out}. Writes nothing when no recipient can be secured.
   *
   * @throws DirectException {@link Problem#MALFORMED_INPUT}, {@link Problem#NO_IDENTITY} or
   *     {@link Problem#NO_TRUSTED_RECIPIENT}, each naming what is wrong
   */
  public SealResult seal(Path plain, OutputStream out) {
    Region whole;
    try {
      whole = Region.of(plain);
    } catch (java.io.UncheckedIOException e) {
      throw new DirectException(Problem.IO, "cannot read " + plain + ": " + e.getCause().getMessage(), e);
    }
    MimeLayout.Headers parsed = MimeLayout.readHeaders(whole, "the message to seal");
    InternetHeaders headers = parsed.headers();
    requireAsciiHeaders(headers);
    DirectAddress from = single(headers, "From");
    List<DirectAddress> recipients = recipients(headers);
    SigningIdentity signer = identities.signingIdentity(from).orElseThrow(() -> new DirectException(
        Problem.NO_IDENTITY, "no local identity can sign for " + from
            + " (import one with 'direct identity import --p12 FILE')"));

    List<X509Certificate> senderAnchors = anchors.forLocal(from);
    List<RecipientCertificates.Accepted> accepted = new ArrayList<>();
    List<RecipientCertificates.Rejected> dropped = new ArrayList<>();
    for (DirectAddress r : recipients) {
      RecipientCertificates rc = discovery.discover(r, senderAnchors).outcome();
      if (rc instanceof RecipientCertificates.Accepted a) {
        accepted.add(a);
      } else {
        dropped.add((RecipientCertificates.Rejected) rc);
      }
    }
    if (accepted.isEmpty()) {
      throw new NoSecuredRecipientException("nothing was sealed: no recipient can be secured: "
          + String.join(" | ", dropped.stream().map(RecipientCertificates.Rejected::reason).toList()), dropped);
    }
    List<X509Certificate> encryptTo = new ArrayList<>();
    accepted.forEach(a -> encryptTo.addAll(a.certificates()));
    Optional<X509Certificate> own = identities.encryptionCertificate(from);
    own.ifPresent(c -> {
      if (!encryptTo.contains(c)) {
        encryptTo.add(c);
      }
    });

    Map<String, String> added = new LinkedHashMap<>();
    if (headers.getHeader("Date") == null) {
      added.put("Date", new MailDateFormat().format(Date.from(clock.instant())));
    }
    String messageId = Optional.ofNullable(headers.getHeader("Message-ID", null)).map(String::trim)
        .orElseGet(() -> MessageId.generate(from.domain()).toString());
    if (headers.getHeader("Message-ID") == null) {
      added.put("Message-ID", messageId);
    }
    if (headers.getHeader("MIME-Version") == null) {
      added.put("MIME-Version", "1.0");
    }
    Region body = whole.slice(parsed.bodyStart(), whole.end());
    BodyShape shape;
    try {
      shape = BodyShape.of(body);
    } catch (IOException e) {
      throw new DirectException(Problem.IO, "cannot read the message body: " + e.getMessage(), e);
    }
    List<String> outer = outerHeaders(headers, added);
    MimeEntityWriter wrapped = MimeEntityWriter.ofSize(whole.length(),
        sink -> writeWrapped(sink, headers, added, body, shape));
    EncryptionAlgorithm enc = options.encryptionFor(accepted.stream().map(RecipientCertificates::address).toList());
    sealer.seal(outer, wrapped, signer, encryptTo, enc, options.keyTransport(), out);
    return new SealResult(from, messageId, accepted, dropped, enc.label(), options.keyTransport().label(),
        own.isPresent(), health.direct.core.mailbox.HeaderSummary.of(headers, "", ""), MessageSender.expectation(headers));
  }

  private List<String> outerHeaders(InternetHeaders headers, Map<String, String> added) {
    List<String> out = new ArrayList<>();
    for (String name : OUTER_COPIED) {
      Enumeration<String> lines = headers.getMatchingHeaderLines(new String[] {name});
      while (lines.hasMoreElements()) {
        out.add(lines.nextElement());
      }
      if (added.containsKey(name)) {
        out.add(name + ": " + added.get(name));
      }
    }
    out.add("Subject: " + options.outerSubject());
    return out;
  }

  private static void writeWrapped(OutputStream sink, InternetHeaders headers, Map<String, String> added,
      Region body, BodyShape shape) throws IOException {
    StringBuilder h = new StringBuilder("Content-Type: message/rfc822\r\n");
    if (shape.eightBit()) {
      h.append("Content-Transfer-Encoding: 8bit\r\n");
    }
    h.append("\r\n");
    Enumeration<String> lines = headers.getAllHeaderLines();
    while (lines.hasMoreElements()) {
      String line = lines.nextElement();
      // Bcc must not reach the other recipients, who all read the same inner message
      if (!line.regionMatches(true, 0, "Bcc:", 0, 4)) {
        h.append(line.replace("\r\n", "\n").replace("\n", "\r\n")).append("\r\n");
      }
    }
    added.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
    h.append("\r\n");
    sink.write(h.toString().getBytes(StandardCharsets.US_ASCII));
    try (InputStream in = body.open()) {
      if (shape.crlfOnly()) {
        in.transferTo(sink); // already canonical (SM-01): copy as is
      } else {
        CrlfOutputStream crlf = new CrlfOutputStream(sink);
        in.transferTo(crlf);
        crlf.finish();
      }
    }
  }

  private static void requireAsciiHeaders(InternetHeaders headers) {
    Enumeration<String> lines = headers.getAllHeaderLines();
    while (lines.hasMoreElements()) {
      String line = lines.nextElement();
      for (int i = 0; i < line.length(); i++) {
        if (line.charAt(i) >= 0x80) {
          String name = line.contains(":") ? line.substring(0, line.indexOf(':')) : line;
          throw new DirectException(Problem.MALFORMED_INPUT, "header '" + name
              + "' contains non-ASCII characters; encode it per RFC 2047 (AS-07)");
        }
      }
    }
  }

  private static DirectAddress single(InternetHeaders headers, String name) {
    String value = headers.getHeader(name, ",");
    if (value == null) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the message has no " + name + " header");
    }
    List<DirectAddress> all = parseList(value, name);
    if (all.size() != 1) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the " + name + " header must name exactly one address, not "
          + all.size());
    }
    return all.get(0);
  }

  private static List<DirectAddress> recipients(InternetHeaders headers) {
    Map<String, DirectAddress> unique = new LinkedHashMap<>();
    for (String name : List.of("To", "Cc", "Bcc")) {
      String value = headers.getHeader(name, ",");
      if (value != null && !value.isBlank()) {
        for (DirectAddress a : parseList(value, name)) {
          unique.putIfAbsent(a.canonical(), a);
        }
      }
    }
    if (unique.isEmpty()) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the message has no recipient in To, Cc or Bcc");
    }
    return List.copyOf(unique.values());
  }

  private static List<DirectAddress> parseList(String value, String header) {
    try {
      List<DirectAddress> out = new ArrayList<>();
      for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
        out.add(DirectAddress.parse(a.getAddress()));
      }
      return out;
    } catch (AddressException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the " + header + " header is not a valid address list: "
          + e.getMessage(), e);
    }
  }

}
