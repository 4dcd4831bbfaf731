package health.direct.interop;

import health.direct.testkit.TestIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Postfix 3 with its own configuration folder: SMTP with STARTTLS on 127.0.0.1, and local
 * delivery of the listed addresses into Maildirs (a Dovecot's, so its users can fetch them).
 * Postfix logs to a file (there is no syslog here) and runs in the foreground ({@code start-fg}).
 */
final class Postfix extends Daemon {
  static final String BINARY = "/usr/sbin/postfix";
  final int port;

  private Postfix() throws IOException {
    super("direct-postfix");
    port = freePort();
  }

  /**
   * @param mailboxes address to Maildir path relative to {@code mailRoot} (e.g. "bob/Maildir/")
   */
  static Postfix start(TestIdentity tls, List<String> domains, Map<String, String> mailboxes, Path mailRoot)
      throws Exception {
    require(BINARY);
    Postfix p = new Postfix();
    Path d = p.dir;
    for (String sub : List.of("queue", "data")) {
      Files.createDirectories(d.resolve(sub));
    }
    Files.setOwner(d.resolve("data"), d.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix"));
    Files.writeString(d.resolve("cert.pem"), TestIdentity.pem(tls.chain().toArray()));
    Files.writeString(d.resolve("key.pem"), TestIdentity.pem(tls.privateKey()));
    StringBuilder vmailbox = new StringBuilder();
    mailboxes.forEach((addr, box) -> vmailbox.append(addr).append(' ').append(box).append('\n'));
    Files.writeString(d.resolve("vmailbox"), vmailbox);
    Files.writeString(d.resolve("main.cf"), String.join("\n",
        "compatibility_level = 3.6",
        "queue_directory = " + d.resolve("queue"),
        "data_directory = " + d.resolve("data"),
        "maillog_file = " + d.resolve("postfix.log"),
        "maillog_file_prefixes = " + d,
        "myhostname = mail.clinic.example",
        "mydestination =",
        "inet_interfaces = loopback-only",
        "inet_protocols = ipv4",
        "mynetworks = 127.0.0.0/8",
        "alias_maps =",
        "alias_database =",
        "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
        "virtual_mailbox_domains = " + String.join(", ", domains),
        "virtual_mailbox_base = " + mailRoot,
        "virtual_mailbox_maps = texthash:" + d.resolve("vmailbox"),
        "virtual_minimum_uid = 8",
        "virtual_uid_maps = static:8",
        "virtual_gid_maps = static:8",
        "smtpd_tls_security_level = may",
        "smtpd_tls_cert_file = " + d.resolve("cert.pem"),
        "smtpd_tls_key_file = " + d.resolve("key.pem"),
        ""));
    // Debian's master.cf, with smtpd on our own loopback port (not on a single extra address, which Postfix refuses)
    String master = Files.readString(Path.of("/etc/postfix/master.cf"))
        .replaceFirst("(?m)^smtp\\s+inet.*$", "127.0.0.1:" + p.port + " inet n - n - - smtpd");
    Files.writeString(d.resolve("master.cf"), master);
    p.start(List.of(BINARY, "-c", d.toString(), "start-fg"), p.port);
    return p;
  }

  /** {@code postfix stop}: the master and its children go, which destroying the wrapper does not do. */
  @Override
  void stopGracefully() throws IOException, InterruptedException {
    Process stop = new ProcessBuilder(BINARY, "-c", dir.toString(), "stop").redirectErrorStream(true)
        .redirectOutput(dir.resolve("stop.log").toFile()).start();
    stop.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    for (ProcessHandle h : detached()) {
      h.onExit().completeOnTimeout(h, 10, java.util.concurrent.TimeUnit.SECONDS).join();
    }
  }

  @Override
  List<ProcessHandle> detached() {
    return fromPidFile(dir.resolve("queue/pid/master.pid")).stream()
        .flatMap(master -> java.util.stream.Stream.concat(java.util.stream.Stream.of(master), master.descendants()))
        .toList();
  }
}
