package health.direct.core.incoming;

import health.direct.core.cert.CertificateNames;
import health.direct.core.smime.LocalIdentities;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.cert.KeyPurpose;
import health.direct.core.io.SecureFiles;
import health.direct.core.smime.MessageOpener;
import health.direct.core.smime.OpenedMessage;
import health.direct.core.smime.SignerCheck;
import health.direct.core.trust.TrustAnchors;
import health.direct.core.trust.TrustDecision;
import health.direct.core.trust.TrustValidator;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a received message is (arcs 6 and 7): decrypts with a local key, checks the
 * signature against the bytes received, requires the signer be bound to From (AS-11) and chain to
 * an anchor for the receiving address (AS-10), and only then writes the plain message out. A
 * message that fails is never written as if it were trusted; the result says exactly why.
 *
 * <pre>{@code
 * OpenResult r = processor.open(Path.of("sealed.eml"), Optional.of(Path.of("plain.eml")));
 * if (!(r instanceof OpenResult.Trusted)) System.err.println(r.verdict().label() + ": " + r.reason());
 * }</pre>
 */
public final class IncomingProcessor {
  private final LocalIdentities identities;
  private final TrustAnchors anchors;
  private final TrustValidator validator;
  private final MessageOpener opener;

  public IncomingProcessor(LocalIdentities identities, TrustAnchors anchors, TrustValidator validator,
      MessageOpener opener) {
    this.identities = identities;
    this.anchors = anchors;
    this.validator = validator;
    this.opener = opener;
  }

  /** Opens {@code sealed}; on a trusted verdict writes the plain message to {@code out} (owner-only). */
  public OpenResult open(Path sealed, Optional<Path> out) {
    return open(sealed, m -> out.ifPresent(p -> SecureFiles.writeAtomically(p, m::writePlainMessage)));
  }

  /** Opens {@code sealed}; on a trusted verdict hands the message to {@code onTrusted}. */
  public OpenResult open(Path sealed, TrustedSink onTrusted) {
    try (OpenedMessage m = opener.open(sealed, identities.decryptionKeys())) {
      OpenResult r = judge(m);
      if (r.trusted()) {
        onTrusted.accept(m);
      }
      return r;
    } catch (DirectException e) {
      return new OpenResult.Failed(e.problem(), e.getMessage());
    }
  }

  /** Receives a trusted message. */
  @FunctionalInterface
  public interface TrustedSink {
    void accept(OpenedMessage message);
  }

  private OpenResult judge(OpenedMessage m) {
    if (!m.encrypted()) {
      String why = m.signed() ? "the message is signed but not encrypted" : "the message is neither encrypted nor signed";
      return new OpenResult.Unsecured(why + ": it is not a Direct message (AS-12)", m.signed());
    }
    if (!m.signed()) {
      return new OpenResult.Unsecured("the message is encrypted but not signed: its sender cannot be known (AS-12)",
          false);
    }
    OpenResult.Protection protection = new OpenResult.Protection(m.encryption().orElse("unknown"),
        m.keyTransport().orElse("unknown"), m.wrapped());
    DirectAddress from = fromAddress(m);
    if (m.wrapped()) {
      Optional<String> outerFrom = m.outerHeader("From");
      if (outerFrom.isPresent()) {
        DirectAddress outer = parseAddress(outerFrom.get(), "outer From");
        if (!outer.sameMailbox(from)) {
          return new OpenResult.Invalid(Problem.SIGNER_NOT_BOUND, "the outer From " + outer
              + " differs from the signed inner From " + from, from.toString(), Optional.empty(), Optional.empty(),
              protection);
        }
      }
    }
    List<SignerCheck> intact = m.signers().stream().filter(SignerCheck::intact).toList();
    if (intact.isEmpty()) {
      Optional<SignerCheck> first = m.signers().stream().findFirst();
      return new OpenResult.Invalid(Problem.INVALID_SIGNATURE, first.map(SignerCheck::problem)
          .orElse("the signature has no signer"), from.toString(),
          first.flatMap(SignerCheck::certificate).map(c -> party(c, from)), first.map(SignerCheck::digest), protection);
    }
    List<X509Certificate> localAnchors = receivingAnchors(m);
    SignerCheck boundButUntrusted = null;
    TrustDecision.Untrusted boundReason = null;
    SignerCheck trustedButUnbound = null;
    SignerCheck untrusted = null;
    TrustDecision.Untrusted untrustedReason = null;
    for (SignerCheck s : intact) {
      X509Certificate cert = s.certificate().orElseThrow();
      CertificateBinding.Kind binding = CertificateBinding.of(cert, from);
      TrustDecision d = validator.validate(cert, m.certificates(), localAnchors, KeyPurpose.SIGNING);
      if (d instanceof TrustDecision.Trusted t) {
        if (binding != CertificateBinding.Kind.NONE) {
          List<String> notes = new ArrayList<>(t.notes());
          if (s.legacyDigest()) {
            notes.add("signed with SHA-1, accepted as legacy only (AS-05)");
          }
          return new OpenResult.Trusted("decrypted, intact, signed by " + from + " (" + binding.label()
              + "-bound certificate) and trusted through '" + CertificateNames.subject(t.anchor()) + "'",
              from.toString(), signature(s, from), party(t.anchor(), null), protection, notes);
        }
        trustedButUnbound = trustedButUnbound == null ? s : trustedButUnbound;
      } else {
        TrustDecision.Untrusted u = (TrustDecision.Untrusted) d;
        if (binding != CertificateBinding.Kind.NONE && boundButUntrusted == null) {
          boundButUntrusted = s;
          boundReason = u;
        } else if (untrusted == null) {
          untrusted = s;
          untrustedReason = u;
        }
      }
    }
    if (boundButUntrusted != null) {
      return new OpenResult.Untrusted(untrustedReason(boundReason), from.toString(), signature(boundButUntrusted, from),
          protection);
    }
    if (trustedButUnbound != null) {
      X509Certificate c = trustedButUnbound.certificate().orElseThrow();
      return new OpenResult.Invalid(Problem.SIGNER_NOT_BOUND, "the signing certificate is not bound to From " + from
          + ": it names " + CertificateBinding.emailAddresses(c) + " " + CertificateBinding.dnsNames(c) + " (AS-11)",
          from.toString(), Optional.of(party(c, from)), Optional.of(trustedButUnbound.digest()), protection);
    }
    return new OpenResult.Untrusted(untrustedReason(untrustedReason), from.toString(), signature(untrusted, from),
        protection);
  }

  private static String untrustedReason(TrustDecision.Untrusted u) {
    return "the signer is not trusted (" + u.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + "): " + u.detail();
  }

  private static OpenResult.Signature signature(SignerCheck s, DirectAddress from) {
    return new OpenResult.Signature(party(s.certificate().orElseThrow(), from), s.digest(), s.legacyDigest());
  }

  private static OpenResult.Party party(X509Certificate c, DirectAddress from) {
    Optional<String> address = Optional.empty();
    if (from != null && CertificateBinding.of(c, from) != CertificateBinding.Kind.NONE) {
      address = Optional.of(from.toString());
    } else if (!CertificateBinding.emailAddresses(c).isEmpty()) {
      address = Optional.of(CertificateBinding.emailAddresses(c).get(0));
    }
    return new OpenResult.Party(address, CertificateNames.subject(c), CertificateFingerprint.of(c).hex());
  }

  private static DirectAddress fromAddress(OpenedMessage m) {
    String raw = m.messageHeaders().getHeader("From", ",");
    if (raw == null) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the signed message has no From header");
    }
    return parseAddress(raw, "From");
  }

  private static DirectAddress parseAddress(String raw, String what) {
    try {
      InternetAddress[] all = InternetAddress.parseHeader(raw, false);
      if (all.length != 1) {
        throw new DirectException(Problem.MALFORMED_INPUT, "the " + what + " header names " + all.length
            + " addresses; exactly one is required");
      }
      return DirectAddress.parse(all[0].getAddress());
    } catch (AddressException e) {
      throw new DirectException(Problem.MALFORMED_INPUT, "the " + what + " header is not an address: " + e.getMessage(), e);
    }
  }

  /**
   * The anchors of the receiving side (TR-01): those serving the To/Cc address the decrypting
   * certificate is bound to; failing that, the certificate's own address, or its domain for a
   * domain-bound certificate.
   */
  private List<X509Certificate> receivingAnchors(OpenedMessage m) {
    X509Certificate mine = m.decryptedFor().orElse(null);
    if (mine == null) {
      return anchors.forLocal(null);
    }
    for (String h : List.of("To", "Cc")) {
      Optional<String> v = m.outerHeader(h);
      if (v.isEmpty()) {
        continue;
      }
      try {
        for (InternetAddress a : InternetAddress.parseHeader(v.get(), false)) {
          DirectAddress d = DirectAddress.parse(a.getAddress());
          if (CertificateBinding.of(mine, d) != CertificateBinding.Kind.NONE) {
            return anchors.forLocal(d);
          }
        }
      } catch (AddressException | DirectException ignored) {
        // fall through to the certificate's own names
      }
    }
    List<String> mails = CertificateBinding.emailAddresses(mine);
    if (!mails.isEmpty()) {
      return anchors.forLocal(DirectAddress.parse(mails.get(0)));
    }
    List<String> dns = CertificateBinding.dnsNames(mine);
    return dns.isEmpty() ? anchors.forLocal(null) : anchors.forDomain(dns.get(0));
  }
}
