package health.direct.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.smime.EncryptionAlgorithm;
import health.direct.core.smime.KeyTransport;
import health.direct.core.trust.RevocationPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where local state lives, how it is protected, and how settings are read. */
class HomeAndConfigTest {
  @TempDir
  Path dir;

  @Test
  void homeIsTheFlagThenDirectHomeThenXdg() {
    Map<String, String> env = Map.of("DIRECT_HOME", dir.resolve("a").toString(), "XDG_DATA_HOME", dir.toString());
    assertThat(DirectHome.locate(Optional.of(dir.resolve("flag")), env).root()).isEqualTo(dir.resolve("flag"));
    assertThat(DirectHome.locate(Optional.empty(), env).root()).isEqualTo(dir.resolve("a"));
    assertThat(DirectHome.locate(Optional.empty(), Map.of("XDG_DATA_HOME", dir.toString())).root())
        .isEqualTo(dir.resolve("direct"));
  }

  @Test
  void homeFoldersAreOwnerOnly() throws Exception {
    DirectHome home = new DirectHome(dir.resolve("h")).create();
    for (Path p : List.of(home.root(), home.identities(), home.anchors(), home.contacts(), home.work())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwx------");
    }
  }

  @Test
  void settingsAreReadAndApplied() throws Exception {
    Path f = Files.writeString(dir.resolve("config.properties"), """
        seal.outer-subject = Message for you
        seal.encryption = aes-128-cbc
        seal.key-transport = oaep
        peer.clinic.example.encryption = aes-256-gcm
        trust.revocation = best-effort
        """);
    HomeConfig c = HomeConfig.load(f);
    assertThat(c.sealOptions().outerSubject()).isEqualTo("Message for you");
    assertThat(c.sealOptions().keyTransport()).isEqualTo(KeyTransport.RSA_OAEP_SHA256);
    assertThat(c.revocation()).isEqualTo(RevocationPolicy.BEST_EFFORT);
    assertThat(c.sealOptions().encryptionFor(List.of(DirectAddress.parse("bob@clinic.example"))))
        .isEqualTo(EncryptionAlgorithm.AES256_GCM);
    // one envelope serves all recipients: a peer not configured for GCM keeps the default
    assertThat(c.sealOptions().encryptionFor(List.of(DirectAddress.parse("bob@clinic.example"),
        DirectAddress.parse("eve@other.example")))).isEqualTo(EncryptionAlgorithm.AES128_CBC);
  }

  @Test
  void unknownOrBadSettingsNameTheLine() throws Exception {
    Path unknown = Files.writeString(dir.resolve("u.properties"), "seal.colour = blue\n");
    assertThatThrownBy(() -> HomeConfig.load(unknown))
        .isInstanceOfSatisfying(DirectException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFIG))
        .hasMessageContaining("seal.colour = blue").hasMessageContaining("unknown setting");
    Path bad = Files.writeString(dir.resolve("b.properties"), "seal.encryption = des\n");
    assertThatThrownBy(() -> HomeConfig.load(bad)).hasMessageContaining("unknown encryption algorithm 'des'");
  }

  @Test
  void everyDefaultThatTheConfigurationPageDocumentsIsAccepted() throws Exception {
    Path page = Path.of("..", "docs", "configuration.md");
    java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\|([^|]+)\\|[^|]*\\|([^|]+)\\|\\s*$");
    java.util.regex.Pattern code = java.util.regex.Pattern.compile("`([^`]+)`");
    StringBuilder settings = new StringBuilder();
    int checked = 0;
    for (String line : Files.readAllLines(page)) {
      java.util.regex.Matcher m = row.matcher(line);
      if (!m.matches()) {
        continue;
      }
      List<String> keys = code.matcher(m.group(1)).results().map(r -> r.group(1)).filter(k -> !k.contains("<"))
          .toList();
      List<String> values = code.matcher(m.group(2)).results().map(r -> r.group(1)).toList();
      if (keys.isEmpty() || keys.size() != values.size()) {
        continue; // no default to write down ("none", "the system's resolvers") or a per-peer key
      }
      for (int k = 0; k < keys.size(); k++) {
        settings.append(keys.get(k)).append(" = ").append(values.get(k)).append('\n');
        checked++;
      }
    }
    Path f = Files.writeString(dir.resolve("documented.properties"), settings.toString());

    HomeConfig c = HomeConfig.load(f);

    assertThat(checked).as("documented defaults found in %s", page).isGreaterThan(25);
    assertThat(c.mail().giveUpAfter()).isEqualTo(java.time.Duration.ofDays(2));
    assertThat(c.sealOptions().outerSubject()).isEqualTo("Secure health message");
  }
}
