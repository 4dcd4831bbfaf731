package health.direct.cli;

import health.direct.app.access.ApiTokens;
import health.direct.core.store.ApiTokenStore;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct api-token create|list|revoke}: who may call the HTTP API of {@code direct serve}. */
@Command(name = "api-token", mixinStandardHelpOptions = true,
    description = "Bearer tokens for the HTTP API of 'direct serve' (one per EHR or interface; stored hashed).",
    subcommands = {ApiTokenCommand.Create.class, ApiTokenCommand.ListTokens.class, ApiTokenCommand.Revoke.class})
final class ApiTokenCommand {
  @ParentCommand
  DirectCommand root;

  ApiTokens tokens() {
    CliContext ctx = root.context();
    ctx.home.create();
    return new ApiTokens(ctx.home, ctx.clock);
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Make a token called NAME and print its secret: this is the only time it is shown.")
  static final class Create implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ApiTokenCommand parent;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "NAME", description = "Who will hold it, e.g. ehr or interface-engine.")
    String name;

    @Override
    public Integer call() {
      ApiTokenStore.Created c = parent.tokens().create(name);
      PrintWriter out = spec.commandLine().getOut();
      out.println(c.secret());
      PrintWriter err = spec.commandLine().getErr();
      err.println("made API token '" + name + "': send it as 'Authorization: Bearer TOKEN'. It is not shown again "
          + "(only its hash is kept); 'direct api-token revoke " + name + "' ends it.");
      err.flush();
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Name the tokens and when each was made.")
  static final class ListTokens implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ApiTokenCommand parent;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      List<ApiTokenStore.Token> all = parent.tokens().list();
      PrintWriter out = spec.commandLine().getOut();
      if (all.isEmpty()) {
        out.println("no API tokens ('direct api-token create NAME' makes one)");
      }
      for (ApiTokenStore.Token t : all) {
        out.printf("%-24s made %s%n", t.name(), Times.local(t.created(), Times.zone(parent.root.env)));
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "End the token NAME at once.")
  static final class Revoke implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ApiTokenCommand parent;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      parent.tokens().revoke(name);
      spec.commandLine().getOut().println("revoked API token '" + name + "': requests carrying it are refused");
      return 0;
    }
  }
}
