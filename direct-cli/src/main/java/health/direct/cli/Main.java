package health.direct.cli;

import health.direct.core.DirectException;
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
    return commandLine(out, err, env).execute(args);
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
      err.println("direct: internal error: " + ex);
      return 1;
    });
    return cl;
  }
}
