package health.direct.app.contacts;

import health.direct.app.DirectSession;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.compose.Draft;
import health.direct.core.io.SecureFiles;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outgoing.MessageSender;
import health.direct.core.resolve.CandidateVerdict;
import health.direct.core.resolve.Discovery;
import health.direct.core.store.Contact;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The address book, and the seed's pre-condition: a contact is verified out of band before PHI
 * goes to them. Decided here: a certificate is pinned only when discovery found it published for
 * the address, it passed the same checks sealing applies (kept), and its SHA-256 fingerprint is
 * the one the correspondent read out by another channel; the test message carries no patient data.
 *
 * <pre>{@code
 * Contacts contacts = new Contacts(session);
 * Discovery d = contacts.discover(bob, Optional.empty());        // show d's fingerprints to the user
 * Contact pinned = contacts.verify(bob, List.of("4B:56:..."), Optional.empty());
 * }</pre>
 */
public final class Contacts {
  private final DirectSession session;

  public Contacts(DirectSession session) {
    this.session = session;
  }

  /** What {@code address} publishes in DNS and LDAP (the address book left out), judged with {@code localFrom}'s anchors. */
  public Discovery discover(DirectAddress address, Optional<DirectAddress> localFrom) {
    return session.discovery().discoverPublished(address, session.trustAnchors().forLocal(localFrom.orElse(null)));
  }

  /** The address book entry for {@code address}, if any. */
  public Optional<Contact> find(DirectAddress address) {
    return session.contacts().find(address);
  }

  /** Every contact. */
  public List<Contact> list() {
    return session.contacts().list();
  }

  /** Adds (or replaces) {@code address} with certificates the user hands in, not yet verified. */
  public Contact add(DirectAddress address, List<X509Certificate> certificates, String source) {
    return session.contacts().add(address, certificates, source, session.clock().instant());
  }

  /**
   * Pins what {@code address} publishes after its fingerprints were confirmed out of band.
   *
   * @throws DirectException {@link Problem#NOT_FOUND} when a fingerprint matches nothing published,
   *     {@link Problem#UNTRUSTED} when the matching certificate fails the checks (the reason named)
   */
  public Contact verify(DirectAddress address, List<String> confirmedFingerprints, Optional<DirectAddress> localFrom) {
    Discovery d = discover(address, localFrom);
    List<X509Certificate> pinned = new ArrayList<>();
    String source = "discovery";
    for (String text : confirmedFingerprints) {
      CertificateFingerprint wanted = CertificateFingerprint.parse(text);
      Optional<CandidateVerdict> match = d.candidates().stream().filter(v -> v.fingerprint().equals(wanted)).findFirst();
      if (match.isEmpty()) {
        throw new DirectException(Problem.NOT_FOUND, "no certificate with fingerprint " + wanted.colonForm() + " is "
            + "published for " + address + " (found: " + (d.candidates().isEmpty() ? "none"
                : String.join(", ", d.candidates().stream().map(v -> v.fingerprint().hex()).toList()))
            + "); run 'direct contacts discover " + address + " --explain'");
      }
      if (!match.get().kept()) {
        throw new DirectException(Problem.UNTRUSTED, "the certificate " + wanted.colonForm() + " published for "
            + address + " cannot be used: " + match.get().reason());
      }
      pinned.add(match.get().found().certificate());
      if (source.equals("discovery")) {
        source = match.get().found().source();
      }
    }
    return session.contacts().addVerified(address, pinned, "verified by fingerprint, found in " + source,
        session.clock().instant());
  }

  /**
   * Queues a signed and encrypted test message from {@code from} to {@code to} that carries no
   * patient data, to prove the whole path before real use; the caller delivers it.
   */
  public MessageSender.Queued sendTest(DirectAddress from, DirectAddress to, Mailbox mailbox) {
    Draft d = new Draft(from, List.of(to), List.of(), "Direct test message",
        "This is a test message from " + from + " to check that secure Direct messages reach " + to
            + ".\r\nIt contains no patient information. No reply is needed.\r\n", List.of());
    Path plain = SecureFiles.privateTempFile(session.home().work(), "test");
    try {
      try (OutputStream out = Files.newOutputStream(plain)) {
        session.composer().compose(d, out);
      } catch (IOException e) {
        throw new DirectException(Problem.IO, "cannot write the test message to " + plain + ": " + e.getMessage(), e);
      }
      return session.sender(mailbox).queue(plain);
    } finally {
      SecureFiles.deleteQuietly(plain);
    }
  }
}
