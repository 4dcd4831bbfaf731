package health.direct.core.cert;

import static org.assertj.core.api.Assertions.assertThat;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** Names as a person reads them, never an OID and hex. */
class CertificateNamesTest {
  @Test
  void theEmailAttributeAndDomainComponentsAreNamedNotEncoded() {
    X500Principal p = new X500Principal(
        "EMAILADDRESS=bob@b.example, CN=Bob Smith, O=\"Clinic, Inc\", DC=clinic, DC=example, SERIALNUMBER=42, C=US");

    assertThat(p.getName()).contains("1.2.840.113549.1.9.1=#"); // what the JDK shows by default
    assertThat(CertificateNames.of(p))
        .isEqualTo("EMAILADDRESS=bob@b.example, CN=Bob Smith, O=\"Clinic, Inc\", DC=clinic, DC=example, "
            + "SERIALNUMBER=42, C=US");
  }
}
