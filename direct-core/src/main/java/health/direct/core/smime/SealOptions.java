package health.direct.core.smime;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How outgoing messages are sealed. Defaults: AES-256-CBC, RSA PKCS#1 v1.5 key transport (what
 * every Direct peer reads, AS-05), and the outer Subject "Secure health message" so the real one
 * travels only inside the encryption (the seed's risk 4).
 *
 * <pre>{@code
 * SealOptions o = SealOptions.builder().peerEncryption("clinic.example", EncryptionAlgorithm.AES256_GCM).build();
 * }</pre>
 */
public final class SealOptions {
  public static final String DEFAULT_OUTER_SUBJECT = "Secure health message";

  private final String outerSubject;
  private final EncryptionAlgorithm encryption;
  private final KeyTransport keyTransport;
  private final Map<String, EncryptionAlgorithm> peerEncryption;

  private SealOptions(Builder b) {
    this.outerSubject = b.outerSubject;
    this.encryption = b.encryption;
    this.keyTransport = b.keyTransport;
    this.peerEncryption = Map.copyOf(b.peerEncryption);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.outerSubject = outerSubject;
    b.encryption = encryption;
    b.keyTransport = keyTransport;
    b.peerEncryption.putAll(peerEncryption);
    return b;
  }

  public String outerSubject() {
    return outerSubject;
  }

  public EncryptionAlgorithm encryption() {
    return encryption;
  }

  public KeyTransport keyTransport() {
    return keyTransport;
  }

  /**
   * The algorithm for one envelope read by all these recipients: GCM only when every recipient
   * (by address or domain) is configured for it, since one envelope serves them all.
   */
  public EncryptionAlgorithm encryptionFor(Collection<DirectAddress> recipients) {
    EncryptionAlgorithm chosen = null;
    for (DirectAddress r : recipients) {
      EncryptionAlgorithm a = peerEncryption.getOrDefault(r.canonical(), peerEncryption.get(r.domain()));
      if (a == null) {
        return encryption;
      }
      if (chosen != null && chosen != a) {
        return encryption;
      }
      chosen = a;
    }
    return chosen == null ? encryption : chosen;
  }

  /** Builder for {@link SealOptions}. */
  public static final class Builder {
    private String outerSubject = DEFAULT_OUTER_SUBJECT;
    private EncryptionAlgorithm encryption = EncryptionAlgorithm.AES256_CBC;
    private KeyTransport keyTransport = KeyTransport.RSA_PKCS1;
    private final Map<String, EncryptionAlgorithm> peerEncryption = new LinkedHashMap<>();

    private Builder() {}

    public Builder outerSubject(String subject) {
      if (subject == null || subject.isBlank() || !subject.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        throw new DirectException(Problem.CONFIG, "the outer subject must be non-empty printable ASCII");
      }
      this.outerSubject = subject;
      return this;
    }

    public Builder encryption(EncryptionAlgorithm e) {
      this.encryption = e;
      return this;
    }

    public Builder keyTransport(KeyTransport k) {
      this.keyTransport = k;
      return this;
    }

    /** Algorithm for one peer, by address ({@code bob@b.example}) or domain ({@code b.example}). */
    public Builder peerEncryption(String addressOrDomain, EncryptionAlgorithm e) {
      peerEncryption.put(addressOrDomain.toLowerCase(Locale.ROOT), e);
      return this;
    }

    public SealOptions build() {
      return new SealOptions(this);
    }
  }
}
