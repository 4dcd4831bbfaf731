package health.direct.core.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code direct serve} listens, from the settings ({@code serve.host}, {@code serve.port},
 * {@code serve.tls.cert}, {@code serve.tls.key}); the command line's options win over them.
 *
 * @param tlsCert a PEM file with the server's certificate chain, leaf first
 * @param tlsKey a PEM file with its private key (PKCS#8, or the RSA/EC forms openssl writes)
 */
public record ServeConfig(String host, int port, Optional<Path> tlsCert, Optional<Path> tlsKey) {
  public static ServeConfig defaults() {
    return new ServeConfig("127.0.0.1", 8025, Optional.empty(), Optional.empty());
  }
}
