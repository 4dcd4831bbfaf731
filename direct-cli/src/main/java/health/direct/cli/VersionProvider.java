package health.direct.cli;

import health.direct.core.crypto.CryptoProviders;
import picocli.CommandLine.IVersionProvider;

/** Prints the version and the crypto providers in use. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"direct " + (v == null ? "development build" : v),
        "crypto: " + CryptoProviders.detect().describe(),
        "(the native RSA provider, when it loads, serves agent, fetch, outbox and sandbox; one-shot commands use "
            + "the JDK's, which starts faster)"};
  }
}
