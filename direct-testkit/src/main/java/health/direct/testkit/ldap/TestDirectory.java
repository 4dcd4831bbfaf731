package health.direct.testkit.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import java.net.InetAddress;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory LDAP directory (UnboundID) on 127.0.0.1 and a free port, publishing certificates
 * the way Direct organisations do: an entry per mail address (or per domain) holding
 * userSMIMECertificate or userCertificate;binary.
 *
 * <pre>{@code
 * try (TestDirectory ldap = TestDirectory.start("dc=clinic,dc=example")) {
 *   ldap.publish("bob@clinic.example", bob.certificate());
 *   int port = ldap.port();
 * }
 * }</pre>
 */
public final class TestDirectory implements AutoCloseable {
  /** Which attribute a certificate is published in. */
  public enum Attr {
    USER_SMIME_CERTIFICATE("userSMIMECertificate"),
    USER_CERTIFICATE_BINARY("userCertificate;binary");

    final String name;

    Attr(String name) {
      this.name = name;
    }
  }

  private final InMemoryDirectoryServer server;
  private final String base;
  private int entries;

  private TestDirectory(InMemoryDirectoryServer server, String base) {
    this.server = server;
    this.base = base;
  }

  public static TestDirectory start(String baseDn) {
    try {
      InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(baseDn);
      config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
          null));
      InMemoryDirectoryServer s = new InMemoryDirectoryServer(config);
      s.add(new Entry(baseDn, new Attribute("objectClass", "top", "domain"),
          new Attribute("dc", baseDn.split("[=,]")[1])));
      s.add(new Entry("ou=people," + baseDn, new Attribute("objectClass", "top", "organizationalUnit"),
          new Attribute("ou", "people")));
      s.startListening();
      return new TestDirectory(s, baseDn);
    } catch (LDAPException e) {
      throw new IllegalStateException("cannot start the test LDAP directory: " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getListenPort();
  }

  /** Publishes {@code certs} under an entry whose mail is {@code mail} (an address or a domain). */
  public TestDirectory publish(String mail, X509Certificate... certs) {
    return publish(mail, Attr.USER_SMIME_CERTIFICATE, certs);
  }

  public TestDirectory publish(String mail, Attr attribute, X509Certificate... certs) {
    List<byte[]> values = new ArrayList<>();
    for (X509Certificate c : certs) {
      try {
        values.add(c.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException(e);
      }
    }
    String cn = "entry" + (++entries);
    try {
      server.add(new Entry("cn=" + cn + ",ou=people," + base,
          new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
          new Attribute("cn", cn), new Attribute("sn", cn), new Attribute("mail", mail),
          new Attribute(attribute.name, values.toArray(new byte[0][]))));
    } catch (LDAPException e) {
      throw new IllegalStateException("cannot add a test LDAP entry: " + e.getMessage(), e);
    }
    return this;
  }

  /** Adds the entries in {@code ldif} (as 'direct publish ldif' prints them). */
  public TestDirectory importLdif(String ldif) {
    try (com.unboundid.ldif.LDIFReader r = new com.unboundid.ldif.LDIFReader(
        new java.io.ByteArrayInputStream(ldif.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
      Entry e;
      while ((e = r.readEntry()) != null) {
        server.add(e);
      }
      return this;
    } catch (java.io.IOException | com.unboundid.ldif.LDIFException | LDAPException e) {
      throw new IllegalStateException("cannot import LDIF: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
