package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.store.Contact;
import health.direct.core.store.ContactStore;
import java.util.Optional;

/** Looks the recipient up in the local address book (arc 1): certificates the user chose or verified. */
public final class AddressBookResolver implements CertificateResolver {
  private final ContactStore contacts;

  public AddressBookResolver(ContactStore contacts) {
    this.contacts = contacts;
  }

  @Override
  public Resolution resolve(DirectAddress address) {
    Optional<Contact> c = contacts.find(address);
    if (c.isEmpty()) {
      return Resolution.none(address, Attempt.of("address book", address.toString(), "no entry"));
    }
    String source = "address book (" + c.get().source() + ")";
    var found = c.get().certificates().stream()
        .map(cert -> new FoundCertificate(cert, source, CertificateBinding.of(cert, address)))
        .toList();
    String state = c.get().verifiedAt().map(t -> "verified " + t).orElse("not verified");
    return new Resolution(address, found, java.util.List.of(Attempt.of("address book", address.toString(),
        found.size() + " certificate(s), " + state)));
  }
}
