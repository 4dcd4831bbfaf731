package health.direct.testkit.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * An SMTP server for delivery tests (SubEthaSMTP) on 127.0.0.1 and a free port: optional STARTTLS
 * with a test certificate, TLS optionally required, and scripted replies per recipient
 * (a 450 or 550 at RCPT) or for the next transactions, so tests can play a greylisting, a full
 * or a rejecting server. Every accepted message is kept with its envelope and whether it came
 * over TLS.
 *
 * <pre>{@code
 * try (TestSmtpServer mx = TestSmtpServer.builder().startTls(cert.serverTlsContext()).start()) {
 *   mx.reply("nobody@clinic.example", 550, "no such user");
 * }
 * }</pre>
 */
public final class TestSmtpServer implements AutoCloseable {

  /** A message the server accepted. */
  public record Received(String envelopeFrom, List<String> recipients, byte[] data, boolean overTls) {}

  /** Options, then {@link #start()}. */
  public static final class Builder {
    private SSLContext tls;
    private boolean requireTls;
    private String hostName = "mx.test";
    private int port;
    private int maxMessageSize;

    /** The SIZE limit the server states in its EHLO answer (RFC 1870); none by default. */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = bytes;
      return this;
    }

    public Builder startTls(SSLContext context) {
      this.tls = context;
      return this;
    }

    public Builder requireTls() {
      this.requireTls = true;
      return this;
    }

    /** A fixed port on 127.0.0.1 (default: a free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder hostName(String name) {
      this.hostName = name;
      return this;
    }

    public TestSmtpServer start() {
      return new TestSmtpServer(this);
    }
  }

  private record Reply(int code, String text) {}

  private final SMTPServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Reply> perRecipient = new ConcurrentHashMap<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile Reply transientFailure = new Reply(451, "try again later");
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger transactions = new AtomicInteger();
  private volatile int pauseAt = -1;
  private final java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
  private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

  public static Builder builder() {
    return new Builder();
  }

  private TestSmtpServer(Builder b) {
    SMTPServer.Builder sb = SMTPServer.port(b.port).bindAddress(InetAddress.getLoopbackAddress()).hostName(b.hostName)
        .messageHandlerFactory(this::handler).connectionTimeout(30, java.util.concurrent.TimeUnit.SECONDS);
    if (b.maxMessageSize > 0) {
      sb.maxMessageSize(b.maxMessageSize);
    }
    if (b.tls != null) {
      sb.enableTLS().startTlsSocketFactory(b.tls);
      if (b.requireTls) {
        sb.requireTLS();
      }
    }
    server = sb.build();
    server.start();
  }

  public int port() {
    return server.getPortAllocated();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** How many SMTP sessions were opened. */
  public int connections() {
    return connections.get();
  }

  /** Answers RCPT TO for {@code address} with {@code code} (e.g. 450 or 550) from now on. */
  public TestSmtpServer reply(String address, int code, String text) {
    perRecipient.put(address.toLowerCase(Locale.ROOT), new Reply(code, text));
    return this;
  }

  /** Answers MAIL FROM of the next {@code n} transactions with a 451. */
  public TestSmtpServer failNextTransactions(int n) {
    failNext.set(n);
    return this;
  }

  /**
   * Makes the {@code nth} transaction (1 = the first) stop at its first RCPT TO, before the server
   * answers, until {@link #release()}: the moment to kill a client in the middle of sending. (A
   * client killed after sending the final "." may leave a message the server accepts anyway,
   * RFC 1047's duplicate; no client can prevent that, so tests stop earlier.)
   */
  public TestSmtpServer pauseAtTransaction(int nth) {
    this.pauseAt = nth;
    return this;
  }

  /** Waits until the paused message is reached. */
  public boolean awaitPaused(long millis) throws InterruptedException {
    return paused.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public void release() {
    release.countDown();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop();
  }

  private MessageHandler handler(MessageContext ctx) {
    connections.incrementAndGet();
    return new MessageHandler() {
      private String from;
      private final List<String> rcpts = new ArrayList<>();

      @Override
      public void from(String from) throws RejectException {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new RejectException(transientFailure.code(), transientFailure.text());
        }
        this.from = from;
      }

      @Override
      public void recipient(String recipient) throws RejectException {
        if (rcpts.isEmpty() && transactions.incrementAndGet() == pauseAt) {
          paused.countDown();
          try {
            release.await(60, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new RejectException(421, "closing");
        }
        Reply r = perRecipient.get(recipient.toLowerCase(Locale.ROOT));
        if (r != null) {
          throw new RejectException(r.code(), r.text());
        }
        rcpts.add(recipient);
      }

      @Override
      public String data(InputStream data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        data.transferTo(out);
        boolean tls = ctx instanceof org.subethamail.smtp.server.Session s && s.isTLSStarted();
        received.add(new Received(from, List.copyOf(rcpts), out.toByteArray(), tls));
        return null;
      }

      @Override
      public void done() {
        // nothing to release
      }
    };
  }
}
