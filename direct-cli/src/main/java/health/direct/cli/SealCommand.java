package health.direct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.resolve.RecipientCertificates;
import health.direct.core.outgoing.SealResult;
import health.direct.core.cert.CertificateFingerprint;
import health.direct.core.io.SecureFiles;
import health.direct.core.smime.EncryptionAlgorithm;
import health.direct.core.smime.KeyTransport;
import health.direct.core.smime.SealOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct seal}: sign then encrypt a plain message into a Direct message. */
@Command(name = "seal", mixinStandardHelpOptions = true,
    description = {"Sign then encrypt an RFC 5322 message for its To/Cc/Bcc recipients and the sender.",
        "The signer is the local identity for From; each recipient's certificate comes from the address book, else DNS CERT, else LDAP, and "
            + "must validate to a trust anchor. Recipients that cannot be secured are dropped and named; if none "
            + "remain, nothing is written (exit 11)."})
final class SealCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand
  DirectCommand root;
  @Spec
  CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "The plain message (.eml).")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the sealed message.")
  Path out;

  @Option(names = "--encryption", paramLabel = "ALG", description = "aes-128-cbc, aes-256-cbc (default), aes-128-gcm, aes-256-gcm.")
  String encryption;

  @Option(names = "--key-transport", paramLabel = "KT", description = "pkcs1 (default) or oaep.")
  String keyTransport;

  @Option(names = "--outer-subject", paramLabel = "TEXT", description = "The Subject shown outside the encryption.")
  String outerSubject;

  @Option(names = "--quiet", description = "No progress for a message of 4 MB or more (on a terminal a line; with "
      + "--json, JSON lines on standard error).")
  boolean quiet;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = root.context();
    SealOptions.Builder b = ctx.config().sealOptions().toBuilder();
    if (encryption != null) {
      b.encryption(EncryptionAlgorithm.parse(encryption));
    }
    if (keyTransport != null) {
      b.keyTransport(KeyTransport.parse(keyTransport));
    }
    if (outerSubject != null) {
      b.outerSubject(outerSubject);
    }
    SealResult[] sealed = new SealResult[1];
    // nothing appears at --out unless sealing completes (exit 11 leaves no file)
    long size = java.nio.file.Files.isRegularFile(in) ? in.toFile().length() : 0;
    ProgressLine line = size < ProgressLine.LARGE ? ProgressLine.none(spec.commandLine().getErr())
        : ProgressLine.on(spec.commandLine().getErr(), "seal", quiet, json);
    health.direct.core.io.CountingOutputStream[] counted = {null};
    SecureFiles.writeAtomically(out.toAbsolutePath(), os -> sealed[0] = ctx.outgoing(b.build()).seal(in,
        line.silent() ? os : (counted[0] = counting(os, line))));
    line.done("sealed", counted[0] == null ? 0 : counted[0].count());
    SealResult r = sealed[0];
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(toJson(r));
    } else {
      o.printf("sealed %s from %s with %s, %s%n", r.messageId(), r.sender(), r.encryption(), r.keyTransport());
      for (RecipientCertificates.Accepted a : r.recipients()) {
        o.printf("  to %s: %d %s-bound certificate(s) from %s%n", a.address(), a.certificates().size(),
            a.level().label(), a.source());
      }
      if (!r.senderCopyReadable()) {
        o.println("  note: no local encryption certificate for " + r.sender() + ": the sent copy cannot be reopened");
      }
    }
    for (RecipientCertificates.Rejected d : r.dropped()) {
      spec.commandLine().getErr().println("direct: dropped " + d.address() + ": " + d.reason());
    }
    return 0;
  }

  private static String toJson(SealResult r) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode n = m.createObjectNode();
    n.put("messageId", r.messageId());
    n.put("sender", r.sender().toString());
    n.put("encryption", r.encryption());
    n.put("keyTransport", r.keyTransport());
    n.put("senderCopyReadable", r.senderCopyReadable());
    ArrayNode to = n.putArray("recipients");
    for (RecipientCertificates.Accepted a : r.recipients()) {
      ObjectNode x = to.addObject();
      x.put("address", a.address().toString());
      x.put("binding", a.level().label());
      x.put("source", a.source());
      ArrayNode fps = x.putArray("certificates");
      a.certificates().forEach(c -> fps.add(CertificateFingerprint.of(c).hex()));
    }
    ArrayNode dropped = n.putArray("dropped");
    for (RecipientCertificates.Rejected d : r.dropped()) {
      dropped.addObject().put("address", d.address().toString()).put("reason", d.reason());
    }
    return n.toString();
  }

  /** {@code out}, showing on {@code line} every mebibyte written. */
  private static health.direct.core.io.CountingOutputStream counting(java.io.OutputStream out, ProgressLine line) {
    return new health.direct.core.io.CountingOutputStream(out, 1 << 20, bytes -> line.show("sealing", bytes, 0));
  }
}
