package health.direct.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line on the terminal for a long operation on a large message, rewritten in place: what is
 * happening, bytes so far of the total, and the rate. Silent when asked (--quiet, --json) or when
 * the output is not a terminal, so scripts and logs never see it.
 *
 * <pre>{@code
 * ProgressLine p = ProgressLine.on(err, quiet || json);
 * p.show("fetching message 2 of 5", bytes, size);
 * p.done("fetched", size);
 * }</pre>
 */
final class ProgressLine {
  /** Messages smaller than this are handled without a progress line. */
  static final long LARGE = 4L << 20;

  private final PrintWriter err;
  private final boolean silent;
  private long started = System.nanoTime();
  private long startBytes;
  private String current = "";

  private ProgressLine(PrintWriter err, boolean silent) {
    this.err = err;
    this.silent = silent;
  }

  /** A line on {@code err}, or none when {@code silent} or not on a terminal. */
  static ProgressLine on(PrintWriter err, boolean silent) {
    return new ProgressLine(err, silent || System.console() == null);
  }

  boolean silent() {
    return silent;
  }

  /**
   * Shows {@code bytes} of {@code total} for {@code what}; a total of 0 or less is not shown. The
   * rate counts from the first report of {@code what}, so bytes a resumed download already had do
   * not inflate it.
   */
  synchronized void show(String what, long bytes, long total) {
    if (silent) {
      return;
    }
    if (!what.equals(current)) {
      current = what;
      started = System.nanoTime();
      startBytes = bytes;
    }
    double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
    String rate = bytes == startBytes ? "" : String.format(Locale.ROOT, " (%.1f MB/s)", (bytes - startBytes) / 1e6 / seconds);
    err.printf(Locale.ROOT, "\r%s: %.1f%s MB%s   ", what, bytes / 1e6,
        total > 0 ? String.format(Locale.ROOT, " of %.1f", total / 1e6) : "", rate);
    err.flush();
  }

  /** Ends the line: "{@code what} 40.1 MB in 1.3 s (30.8 MB/s)". */
  synchronized void done(String what, long bytes) {
    if (silent) {
      return;
    }
    if (current.isEmpty()) {
      err.printf(Locale.ROOT, "\r%s %.1f MB%n", what, bytes / 1e6); // nothing shown before: no time to tell
      err.flush();
      return;
    }
    double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
    err.printf(Locale.ROOT, "\r%s %.1f MB in %.1f s (%.1f MB/s)   %n", what, bytes / 1e6, seconds,
        (bytes - startBytes) / 1e6 / seconds);
    err.flush();
    current = "";
  }

  /** Starts the clock for an operation whose bytes cannot be counted as it goes. */
  synchronized void begin(String what) {
    current = what;
    started = System.nanoTime();
    startBytes = 0;
  }

  /** For an operation whose bytes cannot be counted as it goes: what it is, its size and the time so far. */
  synchronized void working(String what, long total) {
    if (silent) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    err.printf(Locale.ROOT, "\r%s %.1f MB: %.0f s   ", what, total / 1e6, seconds);
    err.flush();
  }
}
