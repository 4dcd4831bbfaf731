package health.direct.cli;

import health.direct.app.admin.Account;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.store.PasswordChange;
import health.direct.core.store.PasswordSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct password change}: the store password, for every key and secret of the home at once. */
@Command(name = "password", mixinStandardHelpOptions = true, description = "The home's store password.",
    subcommands = PasswordCommand.Change.class)
final class PasswordCommand {
  @ParentCommand
  DirectCommand root;

  @Command(name = "change", mixinStandardHelpOptions = true,
      description = {"Re-encrypt every private key and stored secret of the home under a new store password. "
          + "The current password comes as for any command ($DIRECT_PASSWORD, --password-file or a prompt); the "
          + "new one is asked twice, or read from --new-password-env / --new-password-file.",
          "If it is interrupted, run it again with the same two passwords: it finishes what is left."})
  static final class Change implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    PasswordCommand parent;
    @Spec
    CommandSpec spec;

    static final class NewPassword {
      @Option(names = "--new-password-env", paramLabel = "VAR", description = "Environment variable holding the new password.")
      String env;

      @Option(names = "--new-password-file", paramLabel = "FILE", description = "File whose first line is the new password.")
      Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    NewPassword next;

    @Override
    public Integer call() {
      CliContext ctx = parent.root.context();
      if (next == null && System.console() == null) {
        throw new DirectException(Problem.USAGE, "there is no terminal to ask for the new password on: give it "
            + "with --new-password-env VAR or --new-password-file FILE (the current one comes as for any command)");
      }
      PasswordSource source = next == null ? PasswordSource.promptNew("New store password for " + ctx.home.root())
          : next.env != null ? PasswordSource.env(next.env, parent.root.env) : PasswordSource.file(next.file);
      char[] pw = source.get();
      try {
        PasswordChange.Result r = new Account(ctx.session()).changeStorePassword(pw);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("re-encrypted %d file(s) under the new store password%s%n", r.reencrypted(),
            r.alreadyNew() > 0 ? " (" + r.alreadyNew() + " already were, from an interrupted change)" : "");
        out.println("from now on give the new password (update DIRECT_PASSWORD or the --password-file you use)");
        return 0;
      } finally {
        Arrays.fill(pw, '\0');
      }
    }
  }
}
