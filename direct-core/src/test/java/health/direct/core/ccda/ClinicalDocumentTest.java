package health.direct.core.ccda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClinicalDocumentTest {
  private static Optional<ClinicalDocument> read(String xml) {
    return ClinicalDocument.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theHeaderAndEachSectionWithItsNarrativeAreRead() {
    ClinicalDocument d = read("<?xml-stylesheet type=\"text/xsl\" href=\"http://remote.example/cda.xsl\"?>"
        + "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title> Referral Note </title><effectiveTime value=\"20261202\"/>"
        + "<recordTarget><patientRole><id extension=\"MRN-1\"/><patient><name><prefix>Ms</prefix><given>Jane</given>"
        + "<family>Doe</family></name><administrativeGenderCode code=\"F\"/><birthTime value=\"19700315\"/></patient>"
        + "</patientRole></recordTarget><component><structuredBody><component><section><title>Reason</title>"
        + "<text><paragraph>Chest <content>pain</content></paragraph></text><component><section><title>History</title>"
        + "<text>None</text></section></component></section></component></structuredBody></component>"
        + "</ClinicalDocument>").orElseThrow();

    assertThat(d.title()).isEqualTo("Referral Note");
    assertThat(d.effectiveTime()).isEqualTo("20261202");
    assertThat(d.patient()).isEqualTo(new ClinicalDocument.Patient("Ms Jane Doe", "19700315", "F",
        java.util.List.of("MRN-1")));
    assertThat(d.sections()).extracting(ClinicalDocument.Section::title).containsExactly("Reason", "History");
    assertThat(d.sections()).extracting(ClinicalDocument.Section::depth).containsExactly(0, 1);
    assertThat(d.sections().get(0).narrativeXml()).contains("<paragraph").contains("<content").contains("pain");
  }

  @Test
  void xmlThatIsNotAClinicalDocumentIsNone() {
    assertThat(read("<ClinicalDocument><title>no namespace</title></ClinicalDocument>")).isEmpty();
    assertThat(read("<order xmlns=\"urn:example\"/>")).isEmpty();
  }

  @Test
  void aDtdIsRefusedInWordsSoNoEntityIsEverExpanded() {
    assertThatThrownBy(() -> read("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>&x;</title></ClinicalDocument>"))
        .isInstanceOf(DirectException.class)
        .satisfies(e -> assertThat(((DirectException) e).problem()).isEqualTo(Problem.MALFORMED_INPUT))
        .hasMessageStartingWith("the XML document cannot be read: ").hasMessageContaining("DOCTYPE")
        .hasMessageNotContaining("root:");
  }

  @Test
  void brokenXmlIsMalformedInput() {
    assertThatThrownBy(() -> read("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>"))
        .isInstanceOf(DirectException.class).hasMessageStartingWith("the XML document cannot be read: ");
  }
}
