package health.direct.sandbox;

import health.direct.cli.Main;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code direct} command line with {@code direct sandbox} added. */
public final class SandboxLauncher {
  private SandboxLauncher() {}

  public static void main(String[] args) {
    Main.oneShotCrypto(args);
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err, System.getenv()));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
    CommandLine cl = Main.commandLineFor(args, out, err, env, new SandboxCommand());
    return health.direct.cli.Main.execute(cl, args);
  }
}
