package health.direct.web;

import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.store.DirectHome;
import health.direct.core.store.IdentityStore;
import health.direct.core.store.PasswordSource;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Bob's home for the web tests: his identity (store password {@link #PASSWORD}), a trusted
 * referral in the inbox whose subject, text and attachment name try to run script, and an
 * unsecured message in the quarantine.
 */
final class TestHome {
  static final String PASSWORD = "store-pw";
  private static final TestPki PKI = TestPki.start(Clock.systemUTC());
  private static final TestIdentity BOB = PKI.issue(LeafSpec.address("bob@clinic.example"));

  private TestHome() {}

  static DirectHome create(Path dir) throws Exception {
    DirectHome home = new DirectHome(dir.resolve("home")).create();
    char[] pw = "p12".toCharArray();
    new IdentityStore(home, PasswordSource.of(PASSWORD.toCharArray()), Clock.systemUTC())
        .importPkcs12(BOB.toPkcs12(pw), pw, Optional.empty());
    try (Mailbox box = Mailbox.open(home.mail(), Clock.systemUTC())) {
      Path trusted = Files.writeString(dir.resolve("t.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
          + "Subject: Referral <script>window.ran = 1</script>\r\nMessage-ID: <t1@hospital.example>\r\n"
          + "Date: Wed, 02 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
          + "--b\r\nContent-Type: text/plain\r\n\r\nPlease see J. Doe next week. <img src=x onerror=\"window.ran = 2\">\r\n"
          + "--b\r\nContent-Type: text/html; name=\"note.html\"\r\nContent-Disposition: attachment; "
          + "filename=\"<b>note</b>.html\"\r\n\r\n<script>window.ran = 3</script>\r\n--b--\r\n");
      box.store(Folder.INBOX, "test:1", trusted, Optional.empty(), HeaderSummary.of(trusted, "trusted",
          "signed by alice@hospital.example"));
      Path unsecured = Files.writeString(dir.resolve("u.eml"), "From: someone@elsewhere.example\r\n"
          + "Subject: hello\r\n\r\nplain\r\n");
      box.store(Folder.QUARANTINE, "test:2", unsecured, Optional.empty(), HeaderSummary.of(unsecured, "unsecured",
          "not signed and not encrypted"));
    }
    return home;
  }
}
