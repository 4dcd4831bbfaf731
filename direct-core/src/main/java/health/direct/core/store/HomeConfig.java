package health.direct.core.store;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.smime.EncryptionAlgorithm;
import health.direct.core.smime.KeyTransport;
import health.direct.core.smime.SealOptions;
import health.direct.core.trust.RevocationPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Settings from {@code config.properties} in the home folder. Every key is documented in
 * docs/configuration.md; an unknown key or a bad value is an error that names the line.
 *
 * <pre>
 * seal.outer-subject = Secure health message
 * seal.encryption = aes-256-cbc
 * seal.key-transport = pkcs1
 * peer.clinic.example.encryption = aes-256-gcm
 * trust.revocation = strict
 * </pre>
 */
public record HomeConfig(SealOptions sealOptions, RevocationPolicy revocation) {

  public static HomeConfig defaults() {
    return new HomeConfig(SealOptions.builder().build(), RevocationPolicy.STRICT);
  }

  public static HomeConfig load(Path file) {
    if (!Files.exists(file)) {
      return defaults();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new DirectException(Problem.CONFIG, "cannot read " + file + ": " + e.getMessage(), e);
    }
    SealOptions.Builder seal = SealOptions.builder();
    RevocationPolicy revocation = RevocationPolicy.STRICT;
    for (String key : p.stringPropertyNames()) {
      String value = p.getProperty(key).trim();
      try {
        if (key.equals("seal.outer-subject")) {
          seal.outerSubject(value);
        } else if (key.equals("seal.encryption")) {
          seal.encryption(EncryptionAlgorithm.parse(value));
        } else if (key.equals("seal.key-transport")) {
          seal.keyTransport(KeyTransport.parse(value));
        } else if (key.startsWith("peer.") && key.endsWith(".encryption")) {
          seal.peerEncryption(key.substring(5, key.length() - ".encryption".length()), EncryptionAlgorithm.parse(value));
        } else if (key.equals("trust.revocation")) {
          revocation = switch (value.toLowerCase(Locale.ROOT)) {
            case "strict" -> RevocationPolicy.STRICT;
            case "best-effort" -> RevocationPolicy.BEST_EFFORT;
            default -> throw new DirectException(Problem.CONFIG, "use strict or best-effort");
          };
        } else {
          throw new DirectException(Problem.CONFIG, "unknown setting");
        }
      } catch (DirectException e) {
        throw new DirectException(Problem.CONFIG, file + ": '" + key + " = " + value + "': " + e.getMessage(), e);
      }
    }
    return new HomeConfig(seal.build(), revocation);
  }
}
