package health.direct.cli;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code direct} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
  }

  /** Runs the command line and returns the exit code; used by tests too. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
    return execute(commandLine(out, err, env), args);
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter, java.util.Map)}, with {@code stdin} as standard input. */
  public static int run(String[] args, java.io.InputStream stdin, PrintWriter out, PrintWriter err,
      java.util.Map<String, String> env) {
    CommandLine cl = commandLine(out, err, env);
    ((DirectCommand) cl.getCommand()).stdin = stdin;
    return execute(cl, args);
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
   * The {@code direct} command line with its error handling, for front ends that add commands of
   * their own (the sandbox adds {@code direct sandbox}).
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, java.util.Map<String, String> env,
      Object... moreCommands) {
    CommandLine cl = new CommandLine(new DirectCommand(env));
    for (Object c : moreCommands) {
      cl.addSubcommand(c);
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof DirectException de) {
        err.println("direct: " + de.getMessage());
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
