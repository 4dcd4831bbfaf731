package health.direct.core.incoming;

import java.util.Locale;

/**
 * The one word a received message gets. Only {@link #TRUSTED} means: decrypted, intact, signed by
 * a certificate that chains to an anchor and is bound to From.
 */
public enum Verdict {
  TRUSTED, UNTRUSTED, UNSECURED, INVALID, ERROR;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
