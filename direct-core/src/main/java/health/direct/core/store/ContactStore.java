package health.direct.core.store;

import health.direct.core.io.SecureFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The address book: one JSON file per correspondent under {@code contacts/}. Public data.
 *
 * <pre>{@code
 * contacts.add(DirectAddress.parse("bob@clinic.example"), certs, "imported from bob.pem");
 * Optional<Contact> bob = contacts.find(DirectAddress.parse("Bob@Clinic.example"));
 * }</pre>
 */
public final class ContactStore {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private record Stored(String address, String source, String addedAt, String verifiedAt, String pem) {}

  private final DirectHome home;

  public ContactStore(DirectHome home) {
    this.home = home;
  }

  /** Adds or replaces the entry for {@code address}. */
  public Contact add(DirectAddress address, List<X509Certificate> certs, String source, Instant now) {
    return save(address, certs, source, now, Optional.empty());
  }

  /**
   * Adds or replaces the entry for {@code address} with certificates the user has just verified
   * out of band (by fingerprint); they are pinned: used for this correspondent from now on.
   */
  public Contact addVerified(DirectAddress address, List<X509Certificate> certs, String source, Instant now) {
    return save(address, certs, source, now, Optional.of(now));
  }

  private Contact save(DirectAddress address, List<X509Certificate> certs, String source, Instant now,
      Optional<Instant> verifiedAt) {
    if (certs.isEmpty()) {
      throw new DirectException(Problem.USAGE, "a contact needs at least one certificate");
    }
    Stored s = new Stored(address.toString(), source, now.toString(),
        verifiedAt.map(Instant::toString).orElse(null), Pem.encode(certs));
    try {
      SecureFiles.writeAtomically(fileFor(address), JSON.writeValueAsBytes(s));
    } catch (IOException e) {
      throw new StoreException("cannot save contact " + address + ": " + e.getMessage(), e);
    }
    return new Contact(address, certs, source, now, verifiedAt);
  }

  public Optional<Contact> find(DirectAddress address) {
    Path f = fileFor(address);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return Optional.of(read(f));
  }

  public List<Contact> list() {
    List<Contact> out = new ArrayList<>();
    if (!Files.isDirectory(home.contacts())) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.contacts(), "*.json")) {
      for (Path p : ds) {
        out.add(read(p));
      }
    } catch (IOException e) {
      throw new StoreException("cannot list " + home.contacts() + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(c -> c.address().canonical()));
    return out;
  }

  private Contact read(Path f) {
    try {
      Stored s = JSON.readValue(Files.readAllBytes(f), Stored.class);
      List<X509Certificate> certs = CertificateReader.read(s.pem().getBytes(StandardCharsets.US_ASCII), f.toString());
      return new Contact(DirectAddress.parse(s.address()), certs, s.source(), Instant.parse(s.addedAt()),
          Optional.ofNullable(s.verifiedAt()).map(Instant::parse));
    } catch (IOException | RuntimeException e) {
      if (e instanceof DirectException de) {
        throw de;
      }
      throw new StoreException("contact file " + f + " is damaged: " + e.getMessage(), e);
    }
  }

  private Path fileFor(DirectAddress address) {
    return home.contacts().resolve(address.canonical() + ".json");
  }
}
