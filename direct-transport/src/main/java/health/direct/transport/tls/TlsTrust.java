package health.direct.transport.tls;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which TLS server certificates mail and directory connections accept (the seed's risk 3): the
 * Java runtime's CAs plus any configured extra anchors, and always the host name check. The
 * factory from {@link #socketFactoryFor} checks the certificate against the name we meant to
 * reach (sent as SNI) even when the connection itself was made to an IP address that our own DNS
 * client resolved.
 *
 * <pre>{@code
 * SSLSocketFactory f = TlsTrust.withExtraAnchors(List.of(testRoot)).socketFactoryFor("mail.clinic.example");
 * }</pre>
 */
public final class TlsTrust {
  private final SSLContext context;

  private TlsTrust(SSLContext context) {
    this.context = context;
  }

  public static TlsTrust systemDefault() {
    return withExtraAnchors(List.of());
  }

  /** The runtime's CAs and {@code extra} (for a private mail server CA, or tests). */
  public static TlsTrust withExtraAnchors(List<X509Certificate> extra) {
    try {
      List<X509TrustManager> managers = new ArrayList<>();
      TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      system.init((KeyStore) null);
      managers.add(x509(system.getTrustManagers()));
      if (!extra.isEmpty()) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : extra) {
          ks.setCertificateEntry("extra-" + i++, c);
        }
        TrustManagerFactory own = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        own.init(ks);
        managers.add(0, x509(own.getTrustManagers()));
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new AnyOf(managers)}, null);
      return new TlsTrust(ctx);
    } catch (GeneralSecurityException | IOException e) {
      throw new DirectException(Problem.CONFIG, "cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  /**
   * An SSL socket factory that accepts the server by its TLSA records (DANE) instead of the CAs;
   * the name is checked unless only DANE-EE records are published.
   */
  public static SSLSocketFactory daneSocketFactoryFor(String expectedHost, Dane dane) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {dane.trustManager()}, null);
      return new HostBound(ctx.getSocketFactory(), expectedHost, !dane.endEntityOnly());
    } catch (GeneralSecurityException e) {
      throw new DirectException(Problem.INTERNAL, "cannot set up DANE: " + e.getMessage(), e);
    }
  }

  /** An SSL socket factory whose sockets verify the server as {@code expectedHost}. */
  public SSLSocketFactory socketFactoryFor(String expectedHost) {
    return new HostBound(context.getSocketFactory(), expectedHost, true);
  }

  private static X509TrustManager x509(TrustManager[] tms) {
    for (TrustManager tm : tms) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("no X.509 trust manager available");
  }

  /** Trusts a chain when any of the managers does. */
  private static final class AnyOf implements X509TrustManager {
    private final List<X509TrustManager> managers;

    AnyOf(List<X509TrustManager> managers) {
      this.managers = List.copyOf(managers);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("client certificates are not accepted here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      CertificateException last = null;
      for (X509TrustManager m : managers) {
        try {
          m.checkServerTrusted(chain, authType);
          return;
        } catch (CertificateException e) {
          last = e;
        }
      }
      throw last != null ? last : new CertificateException("no trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
          .toArray(X509Certificate[]::new);
    }
  }

  /** Every socket it makes names {@code host} in SNI and has the JDK check the certificate against it. */
  private static final class HostBound extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final String host;
    private final boolean checkName;

    HostBound(SSLSocketFactory delegate, String host, boolean checkName) {
      this.delegate = delegate;
      this.host = host;
      this.checkName = checkName;
    }

    private Socket bind(Socket s) {
      if (s instanceof SSLSocket ssl) {
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm(checkName ? "HTTPS" : null);
        if (!host.matches("[0-9.]+|.*:.*")) {
          p.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(p);
      }
      return s;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return bind(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String ignoredHost, int port, boolean autoClose) throws IOException {
      return bind(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String h, int port) throws IOException {
      return bind(delegate.createSocket(h, port));
    }

    @Override
    public Socket createSocket(String h, int port, InetAddress localHost, int localPort) throws IOException {
      return bind(delegate.createSocket(h, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress a, int port) throws IOException {
      return bind(delegate.createSocket(a, port));
    }

    @Override
    public Socket createSocket(InetAddress a, int port, InetAddress localAddress, int localPort) throws IOException {
      return bind(delegate.createSocket(a, port, localAddress, localPort));
    }
  }
}
