package health.direct.core.incoming;

import health.direct.core.Problem;
import java.util.List;
import java.util.Optional;

/**
 * What opening one received message decided: exactly one of five verdicts, each carrying only the
 * facts that verdict has. Only {@link Trusted} means decrypted, intact, signed by a certificate
 * bound to From that chains to an anchor of the receiving address.
 *
 * <p>Front ends present a verdict by handing it {@link Cases}, which the compiler holds to all five:
 *
 * <pre>{@code
 * String line = result.accept(new OpenResult.Cases<>() {
 *   public String trusted(OpenResult.Trusted t) { return "trusted, signed by " + t.from(); }
 *   public String untrusted(OpenResult.Untrusted u) { return "untrusted: " + u.reason(); }
 *   public String invalid(OpenResult.Invalid i) { return "invalid: " + i.reason(); }
 *   public String unsecured(OpenResult.Unsecured u) { return "unsecured"; }
 *   public String failed(OpenResult.Failed f) { return "cannot open: " + f.reason(); }
 * });
 * }</pre>
 */
public sealed interface OpenResult permits OpenResult.Trusted, OpenResult.Untrusted, OpenResult.Invalid,
    OpenResult.Unsecured, OpenResult.Failed {

  /** The one word this verdict is shown as. */
  Verdict verdict();

  /** Why, in a sentence a person can act on. */
  String reason();

  /** The failure kind (and so the exit code); empty only for {@link Trusted}. */
  Optional<Problem> problem();

  /** Calls the one method of {@code cases} that matches this verdict. */
  <T> T accept(Cases<T> cases);

  default boolean trusted() {
    return verdict() == Verdict.TRUSTED;
  }

  /** One method per verdict: an implementation handles all of them or does not compile. */
  interface Cases<T> {
    T trusted(Trusted t);

    T untrusted(Untrusted u);

    T invalid(Invalid i);

    T unsecured(Unsecured u);

    T failed(Failed f);
  }

  /** A certificate holder as shown to the user: address (if bound), subject and SHA-256 fingerprint. */
  record Party(Optional<String> address, String subject, String fingerprint) {
    /** The address when the certificate names one, else its subject. */
    public String shown() {
      return address.orElse(subject);
    }
  }

  /** How the message travelled: its content encryption, key transport, and whether headers were wrapped. */
  record Protection(String encryption, String keyTransport, boolean wrapped) {}

  /** An intact signature: who made it and with which digest ({@code legacyDigest} for SHA-1, AS-05). */
  record Signature(Party signer, String digest, boolean legacyDigest) {}

  /** Decrypted, intact, bound to {@code from} and trusted through {@code anchor}. */
  record Trusted(String reason, String from, Signature signature, Party anchor, Protection protection,
      List<String> notes) implements OpenResult {
    public Trusted {
      notes = List.copyOf(notes);
    }

    @Override
    public Verdict verdict() {
      return Verdict.TRUSTED;
    }

    @Override
    public Optional<Problem> problem() {
      return Optional.empty();
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.trusted(this);
    }
  }

  /** Intact and signed by a certificate bound to {@code from}, but no anchor of ours vouches for it. */
  record Untrusted(String reason, String from, Signature signature, Protection protection) implements OpenResult {
    @Override
    public Verdict verdict() {
      return Verdict.UNTRUSTED;
    }

    @Override
    public Optional<Problem> problem() {
      return Optional.of(Problem.UNTRUSTED);
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.untrusted(this);
    }
  }

  /**
   * Decrypted, but the signature is broken or made by a certificate not bound to From; {@code
   * signer} is the certificate that was examined, when the signature carried one.
   */
  record Invalid(Problem kind, String reason, String from, Optional<Party> signer, Optional<String> digest,
      Protection protection) implements OpenResult {
    @Override
    public Verdict verdict() {
      return Verdict.INVALID;
    }

    @Override
    public Optional<Problem> problem() {
      return Optional.of(kind);
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.invalid(this);
    }
  }

  /** Not a Direct message: not encrypted, or not signed (AS-12); {@code signed} tells which. */
  record Unsecured(String reason, boolean signed) implements OpenResult {
    @Override
    public Verdict verdict() {
      return Verdict.UNSECURED;
    }

    @Override
    public Optional<Problem> problem() {
      return Optional.of(Problem.UNSECURED);
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.unsecured(this);
    }
  }

  /** The message could not be opened at all: malformed, or encrypted for no key of ours. */
  record Failed(Problem kind, String reason) implements OpenResult {
    @Override
    public Verdict verdict() {
      return Verdict.ERROR;
    }

    @Override
    public Optional<Problem> problem() {
      return Optional.of(kind);
    }

    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.failed(this);
    }
  }
}
