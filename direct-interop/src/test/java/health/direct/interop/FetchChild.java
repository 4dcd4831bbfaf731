package health.direct.interop;

import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.HeaderSummary;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.mailbox.MessageSink;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.cert.CertificateReader;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.dns.DnsSettings;
import health.direct.transport.fetch.FetchSettings;
import health.direct.transport.fetch.FetchTls;
import health.direct.transport.fetch.MailFetcher;
import health.direct.transport.net.HostResolver;
import health.direct.transport.tls.TlsTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A fetch in a process of its own, so a test can kill it with SIGKILL at any moment: fetches
 * bob's mail from a server into the mailbox under DIR.
 *
 * <pre>
 * java -cp … health.direct.interop.FetchChild imap|pop3 PORT DNS-HOST:PORT CA.pem DIR
 * </pre>
 */
public final class FetchChild {
  private FetchChild() {}

  public static void main(String[] args) throws Exception {
    String protocol = args[0];
    int port = Integer.parseInt(args[1]);
    DnsClient dns = new DnsClient(DnsSettings.of(List.of(args[2]), Duration.ofSeconds(2), "none", false),
        Clock.systemUTC());
    var ca = CertificateReader.readOne(Files.readAllBytes(Path.of(args[3])), args[3]);
    Path dir = Path.of(args[4]);
    MailFetcher fetcher = new MailFetcher(new HostResolver(dns), TlsTrust.withExtraAnchors(List.of(ca)), dir);
    try (Mailbox mailbox = Mailbox.open(dir.resolve("mail"), Clock.systemUTC())) {
      MessageSink sink = new MessageSink() {
        @Override
        public boolean contains(String source) {
          return mailbox.contains(source);
        }

        @Override
        public StoredMessage accept(String source, Path raw) {
          return mailbox.store(Folder.INBOX, source, raw, Optional.empty(), HeaderSummary.of(raw, "fetched", ""));
        }
      };
      fetcher.fetch(new FetchSettings(FetchSettings.Protocol.parse(protocol), "mail.clinic.example", port,
          FetchTls.IMPLICIT, "bob", "bob-secret"::toCharArray, "INBOX", false, false, Duration.ofSeconds(10)), sink);
    }
  }
}
