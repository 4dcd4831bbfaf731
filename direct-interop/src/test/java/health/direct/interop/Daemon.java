package health.direct.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server from Debian's packages, started in the foreground with its own configuration in a
 * folder of its own, on 127.0.0.1, and stopped by its process when the test is done.
 */
abstract class Daemon implements AutoCloseable {
  final Path dir;
  private Process process;

  Daemon(String name) throws IOException {
    // world-traversable, so servers that drop privileges can reach their files
    this.dir = Files.createTempDirectory(name, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  /** Skips the test, saying why, when the server is not installed (.ci/run installs it). */
  static void require(String binary) {
    assumeTrue(Files.isExecutable(Path.of(binary)), binary + " is not installed; .ci/run installs it");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  void start(List<String> command, int readyPort) throws IOException, InterruptedException {
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(command.get(0) + " exited: " + log());
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), readyPort)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(command.get(0) + " did not start listening on " + readyPort + ": " + log());
  }

  String log() {
    try {
      StringBuilder b = new StringBuilder();
      try (var files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
          b.append(Files.readString(f));
        }
      }
      return b.toString();
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Asks the server to stop in its own way, for servers whose started process is only a wrapper
   * (Postfix's master outlives a destroyed {@code postfix start-fg}); nothing by default.
   */
  void stopGracefully() throws IOException, InterruptedException {}

  /** The server's processes that outlive its wrapper, found by their pid files; none by default. */
  List<ProcessHandle> detached() {
    return List.of();
  }

  /** Reads a pid file (Postfix writes it space-padded), if it is there. */
  static java.util.Optional<ProcessHandle> fromPidFile(Path pidFile) {
    try {
      return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      // everything it started, collected before it goes: once it is gone, they belong to init
      List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
      all.addAll(detached());
      stopGracefully();
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      for (ProcessHandle h : all) {
        h.destroy();
      }
      for (ProcessHandle h : all) {
        try {
          h.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          h.destroyForcibly();
        }
      }
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
