package health.direct.core.resolve;

import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.store.Contact;
import health.direct.core.store.ContactStore;
import java.util.Optional;

/** Looks the recipient up in the local address book (arc 1). */
public final class AddressBookResolver implements CertificateResolver {
  private final ContactStore contacts;

  public AddressBookResolver(ContactStore contacts) {
    this.contacts = contacts;
  }

  @Override
  public Resolution resolve(DirectAddress address) {
    Optional<Contact> c = contacts.find(address);
    if (c.isEmpty()) {
      return Resolution.none(address, "address book: no entry for " + address);
    }
    var found = c.get().certificates().stream()
        .map(cert -> new FoundCertificate(cert, "address book (" + c.get().source() + ")",
            CertificateBinding.of(cert, address)))
        .toList();
    return new Resolution(address, found, java.util.List.of("address book: " + found.size() + " certificate(s)"));
  }
}
