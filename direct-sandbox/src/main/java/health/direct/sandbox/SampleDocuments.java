package health.direct.sandbox;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * The sandbox's sample clinical content: a small referral note in C-CDA form (US Realm Header,
 * LOINC 57133-1) about an invented patient. No real person's data.
 */
final class SampleDocuments {
  private SampleDocuments() {}

  static String referralNote(String fromName, String fromAddress, String toName, LocalDate date) {
    String d = date.format(DateTimeFormatter.BASIC_ISO_DATE);
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <realmCode code="US"/>
          <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
          <templateId root="2.16.840.1.113883.10.20.22.1.1" extension="2015-08-01"/>
          <templateId root="2.16.840.1.113883.10.20.22.1.14" extension="2015-08-01"/>
          <id root="2.25.318364502171835466392847159836258914" />
          <code code="57133-1" codeSystem="2.16.840.1.113883.6.1" codeSystemName="LOINC" displayName="Referral note"/>
          <title>Referral to cardiology</title>
          <effectiveTime value="%s"/>
          <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
          <languageCode code="en-US"/>
          <recordTarget>
            <patientRole>
              <id extension="SANDBOX-0001" root="2.16.840.1.113883.19.5"/>
              <patient>
                <name><given>Sample</given><family>Patient</family></name>
                <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>
                <birthTime value="19700101"/>
              </patient>
            </patientRole>
          </recordTarget>
          <author>
            <time value="%s"/>
            <assignedAuthor>
              <id root="2.16.840.1.113883.4.6" extension="0000000000"/>
              <telecom value="mailto:%s"/>
              <assignedPerson><name>%s</name></assignedPerson>
            </assignedAuthor>
          </author>
          <informationRecipient>
            <intendedRecipient><informationRecipient><name>%s</name></informationRecipient></intendedRecipient>
          </informationRecipient>
          <component>
            <structuredBody>
              <component>
                <section>
                  <code code="42349-1" codeSystem="2.16.840.1.113883.6.1" displayName="Reason for referral"/>
                  <title>Reason for referral</title>
                  <text>Exertional chest discomfort for three weeks; resting ECG unremarkable. Please assess.</text>
                </section>
              </component>
            </structuredBody>
          </component>
        </ClinicalDocument>
        """.formatted(d, d, fromAddress, fromName, toName);
  }
}
