package health.direct.web;

import health.direct.core.cert.ServerKeyMaterial;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The HTTPS listener {@code direct serve} uses in place of plain HTTP when a certificate and key are given. */
final class TlsConnector {
  private TlsConnector() {}

  static Connector of(Server server, HttpConfiguration http, WebSettings settings, ServerKeyMaterial key) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(key.keyStore());
    ssl.setKeyStorePassword(new String(key.password()));
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // clients check the certificate against the name they asked for; the server need not refuse an address
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    c.setHost(settings.host().getHostAddress());
    c.setPort(settings.port());
    return c;
  }
}
