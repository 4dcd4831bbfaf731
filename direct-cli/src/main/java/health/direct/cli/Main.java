package health.direct.cli;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code direct} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    oneShotCrypto(args);
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
  }

  /** The commands that run long or handle many messages, for which the native RSA provider pays off. */
  private static final java.util.Set<String> BATCH = java.util.Set.of("agent", "serve", "sandbox", "fetch", "outbox");

  /**
   * Leaves the native RSA provider out of a command that does one or two RSA operations: loading
   * its library costs more than it saves there. Set {@code -Ddirect.crypto.noNative} either way to
   * decide yourself.
   */
  public static void oneShotCrypto(String[] args) {
    boolean version = java.util.Arrays.asList(args).contains("--version") || java.util.Arrays.asList(args).contains("-V");
    if (System.getProperty("direct.crypto.noNative") == null && !version
        && commandName(args).filter(BATCH::contains).isEmpty()) {
      System.setProperty("direct.crypto.noNative", "true");
    }
  }

  /** Runs the command line and returns the exit code; used by tests too. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
    return execute(commandLineFor(args, out, err, env), args);
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter, java.util.Map)}, with {@code stdin} as standard input. */
  public static int run(String[] args, java.io.InputStream stdin, PrintWriter out, PrintWriter err,
      java.util.Map<String, String> env) {
    CommandLine cl = commandLineFor(args, out, err, env);
    ((DirectCommand) cl.getCommand()).stdin = stdin;
    return execute(cl, args);
  }

  /** The first word of {@code args} that is not a global option or an option's value: the command's name. */
  static java.util.Optional<String> commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (DirectCommand.OPTIONS_WITH_VALUES.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        return java.util.Optional.of(a);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Runs {@code args} on {@code cl}. An unknown command is an error (exit 2, with "did you mean")
   * even when {@code --help} follows it: picocli would otherwise show the top-level help and exit 0.
   */
  public static int execute(CommandLine cl, String[] args) {
    if (args.length > 1 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
      try {
        cl.parseArgs(args[0]);
      } catch (CommandLine.ParameterException e) {
        try {
          return cl.getParameterExceptionHandler().handleParseException(e, args);
        } catch (Exception handlerFailed) {
          return 2;
        }
      }
    }
    return cl.execute(args);
  }

  /**
   * The {@code direct} command line with its error handling and every sub-command, for front ends
   * that add commands of their own (the sandbox adds {@code direct sandbox}).
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, java.util.Map<String, String> env,
      Object... moreCommands) {
    return commandLineFor(null, out, err, env, moreCommands);
  }

  /**
   * As {@link #commandLine(PrintWriter, PrintWriter, java.util.Map, Object...)}, with only the
   * sub-command {@code args} names when it names one (the others' models are never built, which
   * is most of picocli's share of the start-up); with every one for the top-level help, a typo's
   * "did you mean", or no command at all.
   */
  public static CommandLine commandLineFor(String[] args, PrintWriter out, PrintWriter err,
      java.util.Map<String, String> env, Object... moreCommands) {
    CommandLine cl = new CommandLine(new DirectCommand(env));
    java.util.Map<String, Object> all = new java.util.LinkedHashMap<>();
    for (Class<?> c : DirectCommand.SUBCOMMANDS) {
      all.put(c.getAnnotation(CommandLine.Command.class).name(), c);
    }
    for (Object c : moreCommands) {
      all.put(c.getClass().getAnnotation(CommandLine.Command.class).name(), c);
    }
    java.util.Optional<String> named = args == null ? java.util.Optional.empty() : commandName(args)
        .filter(all::containsKey);
    // "direct --version" needs no sub-command at all
    boolean none = named.isEmpty() && args != null && args.length == 1
        && (args[0].equals("--version") || args[0].equals("-V"));
    all.forEach((name, c) -> {
      if (!none && (named.isEmpty() || named.get().equals(name))) {
        cl.addSubcommand(name, c);
      }
    });
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof DirectException de) {
        err.println("direct: " + Printing.safeText(String.valueOf(de.getMessage())));
        return de.problem().exitCode();
      }
      // not a problem with the input or the settings: say so, and give what a bug report needs
      err.println("direct: internal error (a fault in direct itself, not in your input): " + ex);
      StackTraceElement[] at = ex.getStackTrace();
      if (at.length > 0) {
        err.println("  at " + at[0]);
      }
      return Problem.INTERNAL.exitCode();
    });
    return cl;
  }
}
