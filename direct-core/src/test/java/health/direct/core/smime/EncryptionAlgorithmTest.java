package health.direct.core.smime;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.Test;

class EncryptionAlgorithmTest {
  @Test
  void theOidsWrittenAsTextAreBouncyCastlesOwn() {
    assertThat(EncryptionAlgorithm.AES128_CBC.oid()).isEqualTo(CMSAlgorithm.AES128_CBC.getId());
    assertThat(EncryptionAlgorithm.AES256_CBC.oid()).isEqualTo(CMSAlgorithm.AES256_CBC.getId());
    assertThat(EncryptionAlgorithm.AES128_GCM.oid()).isEqualTo(CMSAlgorithm.AES128_GCM.getId());
    assertThat(EncryptionAlgorithm.AES256_GCM.oid()).isEqualTo(CMSAlgorithm.AES256_GCM.getId());
    assertThat(EncryptionAlgorithm.labelFor(CMSAlgorithm.AES256_GCM.getId())).isEqualTo("AES-256-GCM");
    assertThat(EncryptionAlgorithm.labelFor(CMSAlgorithm.AES192_CBC.getId())).isEqualTo("AES-192-CBC");
    assertThat(EncryptionAlgorithm.labelFor(CMSAlgorithm.DES_EDE3_CBC.getId())).contains("3DES");
  }
}
