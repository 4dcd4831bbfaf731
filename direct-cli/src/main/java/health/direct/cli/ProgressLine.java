package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * How a long operation on a large message is going. On a terminal: one line, rewritten in place,
 * with bytes so far of the total and the rate. With {@code --json}: one JSON object per line on
 * standard error ({@code {"event":"progress","operation":"fetch","message":2,"of":5,"bytes":…,
 * "total":…}}, then {@code "event":"done"} with {@code "seconds"}), so a program can follow it
 * while standard output keeps its one result. Nothing with {@code --quiet}, and no line when the
 * output is not a terminal, so logs never see it.
 *
 * <pre>{@code
 * ProgressLine p = ProgressLine.on(err, "fetch", quiet, json);
 * p.message(2, 5).show("fetching message 2 of 5", bytes, size);
 * p.done("fetched message 2 of 5,", size);
 * }</pre>
 */
final class ProgressLine {
  /** Messages smaller than this are handled without progress. */
  static final long LARGE = 4L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Mode { SILENT, TERMINAL, JSON }

  private final PrintWriter err;
  private final String operation;
  private final Mode mode;
  private long started = System.nanoTime();
  private long startBytes;
  private String current = "";
  private int message;
  private int of;

  private ProgressLine(PrintWriter err, String operation, Mode mode) {
    this.err = err;
    this.operation = operation;
    this.mode = mode;
  }

  /** Progress of {@code operation} ("fetch", "seal", "open") on {@code err}, as the options ask. */
  static ProgressLine on(PrintWriter err, String operation, boolean quiet, boolean json) {
    Mode mode = quiet ? Mode.SILENT : json ? Mode.JSON : System.console() != null ? Mode.TERMINAL : Mode.SILENT;
    return new ProgressLine(err, operation, mode);
  }

  /** Progress that shows nothing (a message too small to need it). */
  static ProgressLine none(PrintWriter err) {
    return new ProgressLine(err, "", Mode.SILENT);
  }

  boolean silent() {
    return mode == Mode.SILENT;
  }

  /** The message of a batch that the following reports are about. */
  synchronized ProgressLine message(int n, int total) {
    this.message = n;
    this.of = total;
    return this;
  }

  /**
   * {@code bytes} of {@code total} (0 or less: unknown) for {@code what}. The rate counts from the
   * first report of {@code what}, so bytes a resumed download already had do not inflate it.
   */
  synchronized void show(String what, long bytes, long total) {
    if (mode == Mode.SILENT) {
      return;
    }
    if (!what.equals(current)) {
      current = what;
      started = System.nanoTime();
      startBytes = bytes;
    }
    if (mode == Mode.JSON) {
      ObjectNode e = event("progress").put("bytes", bytes);
      if (total > 0) {
        e.put("total", total);
      }
      emit(e);
      return;
    }
    double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
    String rate = bytes == startBytes ? ""
        : String.format(Locale.ROOT, " (%.1f MB/s)", (bytes - startBytes) / 1e6 / seconds);
    err.printf(Locale.ROOT, "\r%s: %.1f%s MB%s   ", what, bytes / 1e6,
        total > 0 ? String.format(Locale.ROOT, " of %.1f", total / 1e6) : "", rate);
    err.flush();
  }

  /** Starts the clock for an operation whose bytes cannot be counted as it goes. */
  synchronized void begin(String what) {
    current = what;
    started = System.nanoTime();
    startBytes = 0;
  }

  /** For an operation whose bytes cannot be counted as it goes: its size and the time so far. */
  synchronized void working(String what, long total) {
    if (mode == Mode.SILENT) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (mode == Mode.JSON) {
      emit(event("progress").put("total", total).put("seconds", Math.round(seconds * 10) / 10.0));
      return;
    }
    err.printf(Locale.ROOT, "\r%s %.1f MB: %.0f s   ", what, total / 1e6, seconds);
    err.flush();
  }

  /** The end: "{@code what} 40.1 MB in 1.3 s (30.8 MB/s)". */
  synchronized void done(String what, long bytes) {
    if (mode == Mode.SILENT) {
      return;
    }
    boolean timed = !current.isEmpty();
    double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
    current = "";
    if (mode == Mode.JSON) {
      ObjectNode e = event("done").put("bytes", bytes);
      if (timed) {
        e.put("seconds", Math.round(seconds * 1000) / 1000.0);
      }
      emit(e);
      return;
    }
    if (!timed) {
      err.printf(Locale.ROOT, "\r%s %.1f MB%n", what, bytes / 1e6); // nothing shown before: no time to tell
    } else {
      err.printf(Locale.ROOT, "\r%s %.1f MB in %.1f s (%.1f MB/s)   %n", what, bytes / 1e6, seconds,
          (bytes - startBytes) / 1e6 / seconds);
    }
    err.flush();
  }

  /** As {@link #done}, when something was shown since the last end; otherwise nothing. */
  synchronized void doneIfShown(String what, long bytes) {
    if (!current.isEmpty()) {
      done(what, bytes);
    }
  }

  private ObjectNode event(String kind) {
    ObjectNode e = JSON.createObjectNode().put("event", kind).put("operation", operation);
    if (of > 0) {
      e.put("message", message).put("of", of);
    }
    return e;
  }

  private void emit(ObjectNode e) {
    err.println(e);
    err.flush();
  }
}
