package health.direct.core.store;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Where a password comes from: an environment variable, a file (first line), or a prompt on the
 * terminal; never a command-line value, which other users can read in the process list. Each call
 * to {@link #get()} returns a fresh array the caller should zero after use.
 *
 * <pre>{@code
 * char[] pw = PasswordSource.env("DIRECT_PASSWORD").get();
 * try { ... } finally { Arrays.fill(pw, '\0'); }
 * }</pre>
 */
public interface PasswordSource {

  char[] get();

  /** What this source is, for messages; never the password. */
  String describe();

  static PasswordSource env(String variable) {
    return env(variable, System.getenv());
  }

  static PasswordSource env(String variable, Map<String, String> environment) {
    return new PasswordSource() {
      @Override
      public char[] get() {
        String v = environment.get(variable);
        if (v == null || v.isEmpty()) {
          throw new DirectException(Problem.CONFIG, "environment variable " + variable + " is not set or empty");
        }
        return v.toCharArray();
      }

      @Override
      public String describe() {
        return "environment variable " + variable;
      }

      @Override
      public String toString() {
        return "PasswordSource[" + describe() + "]";
      }
    };
  }

  /**
   * Refuses a password file that others can read or change, as ssh refuses such a private key:
   * the password in it opens every key of the home.
   */
  private static void requireOwnerOnly(Path path) throws IOException {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: its ACLs are the owner's business
    } catch (java.nio.file.NoSuchFileException e) {
      throw new DirectException(Problem.CONFIG, "no password file " + path, e);
    }
    java.util.Set<java.nio.file.attribute.PosixFilePermission> others = java.util.EnumSet.of(
        java.nio.file.attribute.PosixFilePermission.GROUP_READ, java.nio.file.attribute.PosixFilePermission.GROUP_WRITE,
        java.nio.file.attribute.PosixFilePermission.OTHERS_READ, java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
    others.retainAll(perms);
    if (!others.isEmpty()) {
      throw new DirectException(Problem.CONFIG, "the password file " + path + " can be read or changed by others ("
          + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); it is not used. Make it yours alone: "
          + "chmod 600 " + path);
    }
  }

  static PasswordSource file(Path path) {
    return new PasswordSource() {
      @Override
      public char[] get() {
        byte[] bytes = null;
        try {
          requireOwnerOnly(path);
          bytes = Files.readAllBytes(path);
          CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
          int end = 0;
          while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
            end++;
          }
          char[] out = Arrays.copyOf(chars.array(), end);
          Arrays.fill(chars.array(), '\0');
          if (out.length == 0) {
            throw new DirectException(Problem.CONFIG, "password file " + path + " is empty");
          }
          return out;
        } catch (IOException e) {
          throw new DirectException(Problem.CONFIG, "cannot read password file " + path + ": " + e.getMessage(), e);
        } finally {
          if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
          }
        }
      }

      @Override
      public String describe() {
        return "password file " + path;
      }

      @Override
      public String toString() {
        return "PasswordSource[" + describe() + "]";
      }
    };
  }

  /**
   * Asks on the terminal twice, for a password being chosen (a new home): a typing mistake there
   * would lock the person out of their own keys.
   */
  static PasswordSource promptNew(String question) {
    PasswordSource first = prompt(question + " (new)");
    PasswordSource again = prompt("The same password again");
    return new PasswordSource() {
      @Override
      public char[] get() {
        char[] a = first.get();
        char[] b = again.get();
        try {
          if (!Arrays.equals(a, b)) {
            Arrays.fill(a, '\0');
            throw new DirectException(Problem.CONFIG, "the two passwords differ; nothing was stored");
          }
          return a;
        } finally {
          Arrays.fill(b, '\0');
        }
      }

      @Override
      public String describe() {
        return "terminal prompt (new password, asked twice)";
      }
    };
  }

  static PasswordSource prompt(String question) {
    return new PasswordSource() {
      @Override
      public char[] get() {
        Console console = System.console();
        if (console == null) {
          throw new DirectException(Problem.CONFIG, "a password is needed but there is no terminal to ask on: "
              + "set DIRECT_PASSWORD or use --password-file");
        }
        char[] pw = console.readPassword("%s: ", question);
        if (pw == null || pw.length == 0) {
          throw new DirectException(Problem.CONFIG, "no password entered");
        }
        return pw;
      }

      @Override
      public String describe() {
        return "terminal prompt";
      }
    };
  }

  /** A fixed password held in memory (tests, the sandbox). */
  static PasswordSource of(char[] password) {
    char[] copy = password.clone();
    return new PasswordSource() {
      @Override
      public char[] get() {
        return copy.clone();
      }

      @Override
      public String describe() {
        return "given password";
      }

      @Override
      public String toString() {
        return "PasswordSource[hidden]";
      }
    };
  }

  /**
   * This source, asked at most once: the answer is kept (a copy handed out each time) until
   * {@code forget} wipes it. A session asks the person once per process, not once per key.
   *
   * <pre>{@code
   * PasswordSource.Remembered pw = PasswordSource.askOnce(PasswordSource.prompt("Store password"));
   * try { ... } finally { pw.forget(); }
   * }</pre>
   */
  static Remembered askOnce(PasswordSource source) {
    return new Remembered(source);
  }

  /** A source that asks its delegate once; {@link #forget()} zeroes what it kept. */
  final class Remembered implements PasswordSource {
    private final PasswordSource source;
    private char[] kept;

    private Remembered(PasswordSource source) {
      this.source = source;
    }

    @Override
    public synchronized char[] get() {
      if (kept == null) {
        kept = source.get();
      }
      return kept.clone();
    }

    @Override
    public String describe() {
      return source.describe();
    }

    /** Zeroes the kept password; the next {@link #get()} asks again. */
    public synchronized void forget() {
      if (kept != null) {
        java.util.Arrays.fill(kept, '\0');
        kept = null;
      }
    }

    @Override
    public String toString() {
      return "PasswordSource[hidden]";
    }
  }
}
