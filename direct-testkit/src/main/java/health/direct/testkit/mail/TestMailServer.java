package health.direct.testkit.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import health.direct.testkit.TestIdentity;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One organisation's mail server for tests and the sandbox (GreenMail): SMTP for inbound mail,
 * IMAP and POP3 both plain and with implicit TLS, all on 127.0.0.1 and free ports. The TLS
 * certificate comes from the test PKI, so clients verify it like any other. GreenMail builds its
 * TLS context once per JVM, so every server in a JVM must present the same TLS identity (give it
 * every host name needed); a different one is refused with an explanation.
 *
 * <pre>{@code
 * try (TestMailServer mail = TestMailServer.start(pki.issue(LeafSpec.tlsServer("mail.clinic.example")))) {
 *   mail.addUser("bob@clinic.example", "bob", "secret");
 *   int imaps = mail.imapsPort();
 * }
 * }</pre>
 */
public final class TestMailServer implements AutoCloseable {
  private static final Object TLS_PROPERTIES = new Object();
  private static java.security.cert.X509Certificate firstTls;

  private final GreenMail greenMail;
  private final Path keystore;

  private TestMailServer(GreenMail greenMail, Path keystore) {
    this.greenMail = greenMail;
    this.keystore = keystore;
  }

  /** Starts SMTP, IMAP, IMAPS, POP3 and POP3S presenting {@code tls} (a TLS server identity). */
  public static TestMailServer start(TestIdentity tls) {
    String host = "127.0.0.1";
    ServerSetup[] setups = {
        new ServerSetup(0, host, ServerSetup.PROTOCOL_SMTP).dynamicPort(),
        new ServerSetup(0, host, ServerSetup.PROTOCOL_IMAP).dynamicPort(),
        new ServerSetup(0, host, ServerSetup.PROTOCOL_IMAPS).dynamicPort(),
        new ServerSetup(0, host, ServerSetup.PROTOCOL_POP3).dynamicPort(),
        new ServerSetup(0, host, ServerSetup.PROTOCOL_POP3S).dynamicPort()};
    try {
      Path ks = Files.createTempFile("greenmail-tls", ".p12");
      char[] pw = "greenmail-tls".toCharArray();
      Files.write(ks, tls.toPkcs12(pw));
      // GreenMail reads its TLS key store from system properties as it is built and started
      GreenMail gm;
      synchronized (TLS_PROPERTIES) {
        // GreenMail builds its TLS context once per JVM, from the first key store it is given
        if (firstTls != null && !firstTls.equals(tls.certificate())) {
          throw new IllegalStateException("GreenMail keeps the first TLS key of the JVM (" + firstTls
              .getSubjectX500Principal() + "); use one TLS identity per JVM (one per test class, with surefire "
              + "forking a JVM per class)");
        }
        firstTls = tls.certificate();
        System.setProperty("greenmail.tls.keystore.file", ks.toString());
        System.setProperty("greenmail.tls.keystore.password", new String(pw));
        System.setProperty("greenmail.tls.key.password", new String(pw));
        gm = new GreenMail(setups);
        gm.start();
      }
      return new TestMailServer(gm, ks);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test mail server", e);
    }
  }

  /** Creates a mailbox for {@code address} with this login and password. */
  public TestMailServer addUser(String address, String login, String password) {
    greenMail.setUser(address, login, password);
    return this;
  }

  public int smtpPort() {
    return greenMail.getSmtp().getPort();
  }

  public int imapPort() {
    return greenMail.getImap().getPort();
  }

  public int imapsPort() {
    return greenMail.getImaps().getPort();
  }

  public int pop3Port() {
    return greenMail.getPop3().getPort();
  }

  public int pop3sPort() {
    return greenMail.getPop3s().getPort();
  }

  /** Every message delivered so far, as raw bytes. */
  public List<byte[]> receivedMessages() {
    List<byte[]> out = new ArrayList<>();
    for (MimeMessage m : greenMail.getReceivedMessages()) {
      try {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        m.writeTo(b);
        out.add(b.toByteArray());
      } catch (IOException | MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** Waits up to {@code millis} for {@code count} messages in total. */
  public boolean waitForMessages(int count, long millis) {
    return greenMail.waitForIncomingEmail(millis, count);
  }

  @Override
  public void close() {
    greenMail.stop();
    try {
      Files.deleteIfExists(keystore);
    } catch (IOException ignored) {
      // a temporary file
    }
  }
}
