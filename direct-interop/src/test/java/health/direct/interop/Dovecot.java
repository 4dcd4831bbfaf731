package health.direct.interop;

import health.direct.testkit.TestIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/**
 * Dovecot 2.3 with IMAP and POP3, each both plain (with STARTTLS/STLS) and with implicit TLS, on
 * 127.0.0.1, for one user whose Maildir a test fills as a delivery agent would.
 */
final class Dovecot extends Daemon {
  static final String BINARY = "/usr/sbin/dovecot";
  final int imap;
  final int imaps;
  final int pop3;
  final int pop3s;

  private Dovecot() throws IOException {
    super("direct-dovecot");
    imap = freePort();
    imaps = freePort();
    pop3 = freePort();
    pop3s = freePort();
  }

  static Dovecot start(TestIdentity tls, String user, String password) throws Exception {
    return start(tls, java.util.Map.of(user, password));
  }

  /** Dovecot with these users (login to password); each has a Maildir under {@code mail/<login>}. */
  static Dovecot start(TestIdentity tls, java.util.Map<String, String> users) throws Exception {
    require(BINARY);
    Dovecot d = new Dovecot();
    Path root = d.dir;
    Files.writeString(root.resolve("cert.pem"), TestIdentity.pem(tls.chain().toArray()));
    Files.writeString(root.resolve("key.pem"), TestIdentity.pem(tls.privateKey()));
    StringBuilder passwd = new StringBuilder();
    users.forEach((u, p) -> passwd.append(u).append(":{PLAIN}").append(p).append("::::::\n"));
    Files.writeString(root.resolve("users"), passwd);
    for (String sub : List.of("run", "state", "mail")) {
      Files.createDirectories(root.resolve(sub));
    }
    Files.setOwner(root.resolve("mail"), root.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName("mail"));
    Files.writeString(root.resolve("dovecot.conf"), String.join("\n",
        "base_dir = " + root.resolve("run"),
        "state_dir = " + root.resolve("state"),
        "log_path = " + root.resolve("dovecot.log"),
        "protocols = imap pop3",
        "listen = 127.0.0.1",
        "ssl = yes",
        "ssl_cert = <" + root.resolve("cert.pem"),
        "ssl_key = <" + root.resolve("key.pem"),
        "disable_plaintext_auth = yes",
        "auth_mechanisms = plain",
        "passdb {", "  driver = passwd-file", "  args = scheme=PLAIN username_format=%u " + root.resolve("users"), "}",
        "userdb {", "  driver = static", "  args = uid=mail gid=mail home=" + root.resolve("mail") + "/%u", "}",
        "mail_location = maildir:" + root.resolve("mail") + "/%u/Maildir",
        "first_valid_uid = 1",
        "service imap-login {",
        "  chroot =",
        "  inet_listener imap {", "    port = " + d.imap, "  }",
        "  inet_listener imaps {", "    port = " + d.imaps, "    ssl = yes", "  }",
        "}",
        "service pop3-login {",
        "  chroot =",
        "  inet_listener pop3 {", "    port = " + d.pop3, "  }",
        "  inet_listener pop3s {", "    port = " + d.pop3s, "    ssl = yes", "  }",
        "}",
        "service anvil {", "  chroot =", "}",
        ""));
    d.start(List.of(BINARY, "-F", "-c", root.resolve("dovecot.conf").toString()), d.imaps);
    return d;
  }

  /** Where users' Maildirs are: {@code <login>/Maildir} below it. */
  Path mailRoot() {
    return dir.resolve("mail");
  }

  /** Puts {@code message} in the user's Maildir, as the mail server's delivery agent would. */
  void deliver(String user, String name, byte[] message) throws IOException {
    Path maildir = dir.resolve("mail").resolve(user).resolve("Maildir");
    for (String sub : List.of("tmp", "new", "cur")) {
      Files.createDirectories(maildir.resolve(sub));
    }
    Path tmp = Files.write(maildir.resolve("tmp").resolve(name), message);
    Path target = Files.move(tmp, maildir.resolve("new").resolve(name));
    UserPrincipal mail = target.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mail");
    try (var walk = Files.walk(dir.resolve("mail"))) {
      for (Path p : walk.toList()) {
        Files.setOwner(p, mail);
      }
    }
  }
}
