package health.direct.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level command: global options and the sub-commands. */
@Command(name = "direct", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Direct Project secure health messaging: certificate discovery (DNS, LDAP), S/MIME sealing and "
        + "opening, delivery by SMTP through a durable outbox, fetching over IMAP/POP3, keys, trust anchors and the "
        + "address book.", ""},
    footer = {"", "Exit codes: 0 ok; 2 usage; 3 configuration; 4 malformed input; 5 unsecured message; "
        + "6 no key to decrypt; 7 invalid signature; 8 untrusted; 9 signer not bound to From; 10 no local identity; "
        + "11 no recipient can be secured; 12 local store; 13 I/O; 14 not found; 15 delivery failed; 16 unhealthy; 17 PHI found; 18 not sent to every recipient (send --strict); 19 mailbox login refused; 20 busy (another fetch of this home); 1 internal error."})
public final class DirectCommand {
  /**
   * The sub-commands, in the order the help lists them. They are added to the command line by
   * {@link Main}, only the one a command line names when it names one: building picocli's model
   * of all of them took a quarter of a second of every command's start.
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      IdentityCommand.class, AnchorsCommand.class, ContactsCommand.class, SealCommand.class, OpenCommand.class,
      PublishCommand.class, SendCommand.class, ReplyCommand.class, ForwardCommand.class, OutboxCommand.class,
      FetchCommand.class, MailboxCommands.Inbox.class, MailboxCommands.Quarantine.class, MailboxCommands.Sent.class,
      MailboxCommands.Receipts.class, MailboxCommands.Archive.class, ReadCommand.class, MoveCommand.class,
      DeleteCommand.class, SearchCommand.class, StatusCommand.class, HealthCommand.class, AuditCommand.class,
      DlpCommand.class, AccountCommand.class, PasswordCommand.class, AgentCommand.class, ServeCommand.class,
      ApiTokenCommand.class);

  /** The global options that take a value, so that a value is never taken for a command's name. */
  static final java.util.Set<String> OPTIONS_WITH_VALUES = java.util.Set.of("--home", "--password-file",
      "--dns-server", "--dnssec-anchors");

  final Map<String, String> env;
  /** Where {@code --body-file -} reads from. */
  java.io.InputStream stdin = System.in;

  @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Folder for keys, anchors and contacts (default: $DIRECT_HOME, else $XDG_DATA_HOME/direct, "
          + "else ~/.local/share/direct).")
  Path home;

  @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "File whose first line is the store password (default: $DIRECT_PASSWORD, else a prompt).")
  Path passwordFile;

  @Option(names = "--dns-server", scope = ScopeType.INHERIT, paramLabel = "IP[:PORT]",
      description = "DNS server for discovery and delivery (repeatable; default: dns.servers, else the system's).")
  List<String> dnsServers;

  @Option(names = "--dnssec-anchors", scope = ScopeType.INHERIT, paramLabel = "root|none|FILE",
      description = "DNSSEC trust anchors (default: dns.dnssec.trust-anchors, else root).")
  String dnssecAnchors;

  DirectCommand(Map<String, String> env) {
    this.env = env;
  }

  CliContext context() {
    return new CliContext(Optional.ofNullable(home), Optional.ofNullable(passwordFile), env,
        dnsServers == null ? List.of() : dnsServers, Optional.ofNullable(dnssecAnchors));
  }
}
