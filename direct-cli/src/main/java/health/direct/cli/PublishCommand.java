package health.direct.cli;

import health.direct.app.admin.Identities;
import health.direct.core.cert.CertificateNames;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.store.IdentityStore;
import java.io.PrintWriter;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CERTRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct publish dns|ldif}: our own certificates in the form others discover them (CD-13). */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Print the local identities' certificates as DNS CERT records or LDIF, to publish for senders.",
    subcommands = {PublishCommand.Dns.class, PublishCommand.Ldif.class})
final class PublishCommand {
  @ParentCommand
  DirectCommand root;

  static List<IdentityStore.PublicIdentity> identities(PublishCommand parent) {
    List<IdentityStore.PublicIdentity> all = new Identities(parent.root.context().session()).publicIdentities();
    if (all.isEmpty()) {
      throw new DirectException(Problem.NO_IDENTITY,
          "no local identity to publish: import one with 'direct identity import' or create one");
    }
    return all;
  }

  static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new DirectException(Problem.INTERNAL, "cannot encode " + c.getSubjectX500Principal(), e);
    }
  }

  @Command(name = "dns", mixinStandardHelpOptions = true,
      description = {"Print zone-file lines: a CERT record (type PKIX) per identity, at the address-bound name "
          + "(bob.clinic.example for bob@clinic.example) or at the domain for a domain-bound identity (CD-01..03)."})
  static final class Dns implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    PublishCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--ttl", defaultValue = "3600", paramLabel = "SECONDS", description = "Record TTL (default 3600).")
    long ttl;

    @Option(names = "--json", description = "Print as JSON: per identity its owner name, TTL, record text and certificate.")
    boolean json;

    @Override
    public Integer call() throws TextParseException {
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        var a = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        for (IdentityStore.PublicIdentity id : identities(parent)) {
          String owner = id.owner().replace('@', '.');
          CERTRecord r = new CERTRecord(Name.fromString(owner + "."), DClass.IN, ttl, CERTRecord.CertificateType.PKIX,
              0, 0, der(id.chain().get(0)));
          var n = a.addObject().put("identity", id.owner()).put("name", owner + ".").put("ttl", ttl)
              .put("type", "CERT").put("record", r.toString());
          JsonViews.certificate(n.putObject("certificate"), id.chain().get(0), null);
        }
        out.println(a);
        return 0;
      }
      out.println("; CERT records for the local Direct identities; add them to the zone and sign it (DNSSEC)");
      for (IdentityStore.PublicIdentity id : identities(parent)) {
        String owner = id.owner().replace('@', '.');
        CERTRecord r = new CERTRecord(Name.fromString(owner + "."), DClass.IN, ttl, CERTRecord.CertificateType.PKIX,
            0, 0, der(id.chain().get(0)));
        out.println("; " + id.owner() + "  " + CertificateNames.subject(id.chain().get(0)));
        out.println(r);
      }
      return 0;
    }
  }

  @Command(name = "ldif", mixinStandardHelpOptions = true,
      description = {"Print LDIF entries (inetOrgPerson, mail, userCertificate;binary) for an LDAP directory that "
          + "senders find through SRV _ldap._tcp.<domain> (CD-05, CD-06)."})
  static final class Ldif implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    PublishCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--base", paramLabel = "DN",
        description = "Parent DN for the entries (default: ou=people under dc= components of the domain).")
    String base;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (IdentityStore.PublicIdentity id : identities(parent)) {
        String domain = id.owner().substring(id.owner().indexOf('@') + 1);
        String parentDn = base != null ? base : "ou=people," + dcComponents(domain);
        String cn = id.owner();
        Entry e = new Entry(new com.unboundid.ldap.sdk.RDN("cn", cn) + "," + parentDn,
            new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
            new Attribute("cn", cn), new Attribute("sn", cn), new Attribute("mail", id.owner()),
            new Attribute("userCertificate;binary", der(id.chain().get(0))));
        out.println(e.toLDIFString());
      }
      return 0;
    }

    private static String dcComponents(String domain) {
      List<String> parts = new ArrayList<>();
      for (String label : domain.split("\\.")) {
        parts.add("dc=" + label);
      }
      return String.join(",", parts);
    }
  }
}
