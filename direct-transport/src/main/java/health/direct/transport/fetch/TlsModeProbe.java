package health.direct.transport.fetch;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

/**
 * Finds the commonest fetch misconfiguration before it costs a full time-out: a plain or STARTTLS
 * login aimed at a port that speaks TLS from its first byte (993, 995). Such a server never sends
 * the greeting the client waits for, so both sides wait; here the greeting is given a few seconds,
 * and if none comes a TLS handshake is tried, which such a port answers at once.
 *
 * <p>The handshake only detects TLS: it sends no credentials and no data, and whatever certificate
 * comes back is not trusted for anything. The real connection checks it as always.
 */
final class TlsModeProbe {
  private static final Duration GREETING_WAIT = Duration.ofSeconds(4);

  private TlsModeProbe() {}

  /** Throws {@link Problem#CONFIG} naming the likely mismatch; returns quietly otherwise (or when unsure). */
  static void check(InetAddress ip, FetchSettings s) {
    if (s.tls() == FetchTls.IMPLICIT) {
      return; // a plain server answers a TLS hello at once, with an error the fetch names
    }
    int connect = (int) Math.min(Integer.MAX_VALUE, s.timeout().toMillis());
    int wait = (int) Math.min(GREETING_WAIT.toMillis(), s.timeout().toMillis());
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(ip, s.port()), connect);
      plain.setSoTimeout(wait);
      InputStream in = plain.getInputStream();
      if (in.read() >= 0) {
        return; // a greeting: the server speaks first, as plain and STARTTLS servers do
      }
    } catch (SocketTimeoutException e) {
      if (speaksTls(ip, s.port(), connect)) {
        throw new DirectException(Problem.CONFIG, s.host() + ":" + s.port() + " sent no greeting in "
            + wait / 1000 + " s but answers a TLS handshake: it expects TLS from the first byte. Set fetch.tls = "
            + "implicit, or use the " + (s.protocol() == FetchSettings.Protocol.IMAP ? "IMAP STARTTLS port (143)"
                : "POP3 STARTTLS port (110)") + " with fetch.tls = " + s.tls().name().toLowerCase(java.util.Locale.ROOT));
      }
    } catch (IOException e) {
      // unreachable or refused: the fetch itself reports it in its own words
    }
  }

  private static boolean speaksTls(InetAddress ip, int port, int timeoutMillis) {
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(ip, port), timeoutMillis);
      raw.setSoTimeout(timeoutMillis);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, null, null);
      try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, ip.getHostAddress(), port, false)) {
        tls.startHandshake();
        return true;
      }
    } catch (SSLHandshakeException e) {
      // the server spoke TLS; only its certificate was not one the JDK trusts
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof CertificateException || c instanceof java.security.cert.CertPathValidatorException
            || c instanceof java.security.cert.CertPathBuilderException) {
          return true;
        }
      }
      return false;
    } catch (IOException | java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
