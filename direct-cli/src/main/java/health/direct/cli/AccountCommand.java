package health.direct.cli;

import health.direct.app.admin.Account;
import health.direct.core.store.PasswordSource;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct account set-password}: the mail server password, encrypted in the store (risk 7). */
@Command(name = "account", mixinStandardHelpOptions = true, description = "The mailbox account.",
    subcommands = {AccountCommand.SetPassword.class})
final class AccountCommand {
  @ParentCommand
  DirectCommand root;

  @Command(name = "set-password", mixinStandardHelpOptions = true,
      description = "Store the IMAP/POP3 server password, encrypted under the store password (never in "
          + "config.properties).")
  static final class SetPassword implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    AccountCommand parent;
    @Spec
    CommandSpec spec;

    static final class Source {
      @Option(names = "--server-password-env", paramLabel = "VAR", description = "Read it from this variable.")
      String env;

      @Option(names = "--server-password-file", paramLabel = "FILE", description = "Read the first line of this file.")
      Path file;
    }

    @ArgGroup(exclusive = true)
    Source source;

    @Override
    public Integer call() {
      CliContext ctx = parent.root.context();
      PasswordSource s = source == null ? PasswordSource.prompt("Mail server password")
          : source.env != null ? PasswordSource.env(source.env, parent.root.env) : PasswordSource.file(source.file);
      char[] pw = s.get();
      try {
        new Account(ctx.session()).setServerPassword(pw);
      } finally {
        java.util.Arrays.fill(pw, '\0');
      }
      spec.commandLine().getOut().println("stored the mail server password (encrypted) in " + ctx.home.root());
      return 0;
    }
  }
}
