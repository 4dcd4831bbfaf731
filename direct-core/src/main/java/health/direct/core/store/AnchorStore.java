package health.direct.core.store;

import health.direct.core.cert.CertificateNames;
import health.direct.core.io.SecureFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.cert.CertificateReader;
import health.direct.core.trust.AnchorScope;
import health.direct.core.trust.TrustAnchor;
import health.direct.core.trust.TrustAnchors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Trust anchors (TR-01, TR-02), each with the local addresses it serves, kept in
 * {@code anchors/anchors.json}. Public data: no password needed.
 *
 * <pre>{@code
 * AnchorStore anchors = new AnchorStore(home);
 * anchors.add(CertificateReader.read(bundleBytes, "bundle.p7b"), AnchorScope.parse("domain:hospital.example"));
 * TrustAnchors all = anchors.load();
 * }</pre>
 */
public final class AnchorStore {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One stored anchor as written to disk. */
  public record Entry(String fingerprint, String scope, String subject, String pem) {}

  private final Path file;

  public AnchorStore(DirectHome home) {
    this.file = home.anchors().resolve("anchors.json");
  }

  public TrustAnchors load() {
    List<TrustAnchor> out = new ArrayList<>();
    for (Entry e : entries()) {
      X509Certificate cert = CertificateReader.readOne(e.pem().getBytes(StandardCharsets.US_ASCII), "anchor " + e.fingerprint());
      out.add(new TrustAnchor(cert, AnchorScope.parse(e.scope())));
    }
    return new TrustAnchors(out);
  }

  /** Adds each certificate with this scope; returns those newly added (an anchor already present with the same scope is skipped). */
  public List<TrustAnchor> add(List<X509Certificate> certs, AnchorScope scope) {
    List<Entry> entries = new ArrayList<>(entries());
    List<TrustAnchor> added = new ArrayList<>();
    for (X509Certificate c : certs) {
      String fp = CertificateFingerprint.of(c).hex();
      boolean present = entries.stream().anyMatch(e -> e.fingerprint().equals(fp) && e.scope().equals(scope.toString()));
      if (!present) {
        entries.add(new Entry(fp, scope.toString(), CertificateNames.subject(c), Pem.encode(c)));
        added.add(new TrustAnchor(c, scope));
      }
    }
    save(entries);
    return added;
  }

  /**
   * Removes the anchors whose fingerprint starts with {@code fingerprintPrefix} (at least 8 hex
   * digits, see {@link CertificateFingerprint#startsWith}). It must match exactly one certificate,
   * which may be stored with several scopes; all of them go.
   */
  public List<Entry> remove(String fingerprintPrefix) {
    List<Entry> entries = new ArrayList<>(entries());
    List<Entry> matches = entries.stream()
        .filter(e -> new CertificateFingerprint(e.fingerprint()).startsWith(fingerprintPrefix)).toList();
    if (matches.isEmpty()) {
      throw new DirectException(Problem.NOT_FOUND, "no trust anchor has a fingerprint starting with " + fingerprintPrefix);
    }
    if (matches.stream().map(Entry::fingerprint).distinct().count() > 1) {
      throw new DirectException(Problem.USAGE, "'" + fingerprintPrefix + "' matches several anchors; give more digits");
    }
    entries.removeAll(matches);
    save(entries);
    return matches;
  }

  public List<Entry> entries() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return JSON.readValue(Files.readAllBytes(file), new TypeReference<List<Entry>>() {});
    } catch (IOException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private void save(List<Entry> entries) {
    try {
      SecureFiles.writeAtomically(file, JSON.writeValueAsBytes(entries));
    } catch (IOException e) {
      throw new StoreException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
