package health.direct.app.admin;

import health.direct.app.DirectSession;
import health.direct.core.address.DirectAddress;
import health.direct.core.store.IdentityInfo;
import health.direct.core.store.IdentityStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The home's own identities (arc 2 and arc 6: whose keys sign and decrypt): import a PKCS#12,
 * create a key and its certificate request, install the CA's answer, list them. The key is
 * re-encrypted under the store password as it comes in, and a home's keys stay under one password.
 *
 * <pre>{@code
 * Identities ids = new Identities(session);
 * String csr = ids.createRequest(DirectAddress.parse("bob@clinic.example"), 2048);
 * }</pre>
 */
public final class Identities {
  private final DirectSession session;

  public Identities(DirectSession session) {
    this.session = session;
  }

  /** Imports the key and chain in {@code p12}, for {@code address} when the certificate names several. */
  public IdentityInfo importPkcs12(byte[] p12, char[] p12Password, Optional<DirectAddress> address) {
    return session.identities().importPkcs12(p12, p12Password, address);
  }

  /** A new key pair for {@code address}, kept pending, and the PKCS#10 request (PEM) for a CA. */
  public String createRequest(DirectAddress address, int rsaBits) {
    return session.identities().createRequest(address, rsaBits);
  }

  /** Installs the certificate (and chain) a CA issued for a pending key. */
  public IdentityInfo installCertificate(List<X509Certificate> chain) {
    return session.identities().installCertificate(chain);
  }

  /** Every identity, from the public chain files: no password is needed. */
  public List<IdentityInfo> list() {
    return session.identities().list();
  }

  /** Every identity's public chain, to publish in DNS or LDAP (CD-13). */
  public List<IdentityStore.PublicIdentity> publicIdentities() {
    return session.identities().publicIdentities();
  }

  /**
   * Who sends when the user does not say: account.address, else the home's only complete
   * identity with an address.
   */
  public Optional<DirectAddress> defaultSender() {
    if (session.mail().address().isPresent()) {
      return Optional.of(DirectAddress.parse(session.mail().address().get()));
    }
    List<IdentityInfo> ids = list().stream().filter(i -> !i.pending() && i.owner().contains("@")).toList();
    return ids.size() == 1 ? Optional.of(DirectAddress.parse(ids.get(0).owner())) : Optional.empty();
  }
}
