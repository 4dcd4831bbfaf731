package health.direct.core.smime;

import health.direct.core.address.DirectAddress;
import health.direct.core.smime.DecryptionKey;
import health.direct.core.smime.SigningIdentity;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** The local keys a client holds (arc 2 and arc 6): the on-disk store, or in memory for embedding. */
public interface LocalIdentities {
  Optional<SigningIdentity> signingIdentity(DirectAddress from);

  Optional<X509Certificate> encryptionCertificate(DirectAddress owner);

  List<DecryptionKey> decryptionKeys();

  /** Fixed identities held in memory, e.g. keys an EHR integration loads from its own vault. */
  static LocalIdentities inMemory(List<SigningIdentity> identities) {
    List<SigningIdentity> copy = List.copyOf(identities);
    return new LocalIdentities() {
      @Override
      public Optional<SigningIdentity> signingIdentity(DirectAddress from) {
        return copy.stream().filter(i -> bound(i, from)).findFirst();
      }

      @Override
      public Optional<X509Certificate> encryptionCertificate(DirectAddress owner) {
        return signingIdentity(owner).map(SigningIdentity::certificate);
      }

      @Override
      public List<DecryptionKey> decryptionKeys() {
        return copy.stream().map(i -> DecryptionKey.of(i.privateKey(), i.certificate())).toList();
      }

      private boolean bound(SigningIdentity i, DirectAddress a) {
        return health.direct.core.cert.CertificateBinding.of(i.certificate(), a)
            != health.direct.core.cert.CertificateBinding.Kind.NONE;
      }
    };
  }
}
