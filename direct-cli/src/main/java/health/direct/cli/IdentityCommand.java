package health.direct.cli;

import health.direct.app.admin.Identities;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.address.DirectAddress;
import health.direct.core.cert.CertificateReader;
import health.direct.core.store.IdentityInfo;
import health.direct.core.store.PasswordSource;
import health.direct.core.io.SecureFiles;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code direct identity ...}: the local private keys and certificates (arc 2). */
@Command(name = "identity", description = "Manage local identities (private key + certificate chain per address).",
    mixinStandardHelpOptions = true, subcommands = {IdentityCommand.Import.class, IdentityCommand.Create.class,
        IdentityCommand.InstallCert.class, IdentityCommand.ListIdentities.class})
final class IdentityCommand {
  @ParentCommand
  DirectCommand root;

  @Command(name = "import", description = "Import a PKCS#12 file; the key is re-encrypted under the store password.",
      mixinStandardHelpOptions = true)
  static final class Import implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    IdentityCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--p12", required = true, paramLabel = "FILE", description = "The PKCS#12 (.p12/.pfx) file.")
    Path p12;

    @Option(names = "--address", paramLabel = "ADDR", description = "The Direct address it speaks for "
        + "(default: the certificate's rfc822Name, or its dNSName for an organisation certificate).")
    String address;

    @ArgGroup(exclusive = true, multiplicity = "1")
    P12Password password;

    static final class P12Password {
      @Option(names = "--p12-password-env", paramLabel = "VAR", description = "Environment variable holding the file's password.")
      String env;
      @Option(names = "--p12-password-file", paramLabel = "F", description = "File whose first line is the file's password.")
      Path file;
    }

    @Override
    public Integer call() {
      CliContext ctx = parent.root.context();
      PasswordSource src = password.env != null ? PasswordSource.env(password.env, parent.root.env)
          : PasswordSource.file(password.file);
      char[] pw = src.get();
      try {
        IdentityInfo info = new Identities(ctx.session()).importPkcs12(InputFiles.read(p12),
            pw, Optional.ofNullable(address).map(DirectAddress::parse));
        PrintWriter out = spec.commandLine().getOut();
        out.println("imported identity for " + info.owner());
        Printing.identity(out, info);
        return 0;
      } finally {
        Arrays.fill(pw, '\0');
      }
    }
  }

  @Command(name = "create", description = "Generate a key pair and print a PKCS#10 certificate request for a CA.",
      mixinStandardHelpOptions = true)
  static final class Create implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    IdentityCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--address", required = true, paramLabel = "ADDR", description = "The Direct address.")
    String address;

    @Option(names = "--bits", defaultValue = "2048", description = "RSA key size: 2048, 3072 or 4096 (default ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--csr-out", paramLabel = "FILE", description = "Write the request here instead of to standard output.")
    Path csrOut;

    @Override
    public Integer call() {
      if (bits != 2048 && bits != 3072 && bits != 4096) {
        throw new DirectException(Problem.USAGE, "--bits must be 2048, 3072 or 4096");
      }
      DirectAddress a = DirectAddress.parse(address);
      String csr = new Identities(parent.root.context().session()).createRequest(a, bits);
      if (csrOut != null) {
        SecureFiles.writeAtomically(csrOut, csr.getBytes(StandardCharsets.US_ASCII));
        spec.commandLine().getErr().println("request for " + a + " written to " + csrOut
            + "; install the CA's answer with 'direct identity install-cert FILE'");
      } else {
        spec.commandLine().getOut().print(csr);
      }
      return 0;
    }
  }

  @Command(name = "install-cert", description = "Install the certificate (and chain) a CA issued for a created key.",
      mixinStandardHelpOptions = true)
  static final class InstallCert implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    IdentityCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "PEM, DER or PKCS#7: the certificate first, then its chain.")
    Path file;

    @Override
    public Integer call() {
      IdentityInfo info = new Identities(parent.root.context().session()).installCertificate(
          CertificateReader.read(InputFiles.read(file), file.toString()));
      spec.commandLine().getOut().println("installed identity for " + info.owner());
      Printing.identity(spec.commandLine().getOut(), info);
      return 0;
    }
  }

  @Command(name = "list", description = "List local identities (needs no password).", mixinStandardHelpOptions = true)
  static final class ListIdentities implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    IdentityCommand parent;
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Identities ids = new Identities(parent.root.context().session());
      PrintWriter out = spec.commandLine().getOut();
      var all = ids.list();
      if (json) {
        var a = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        all.forEach(i -> JsonViews.identity(a.addObject(), i));
        out.println(a);
        return 0;
      }
      if (all.isEmpty()) {
        out.println("no identities in " + parent.root.context().home.root());
      }
      for (IdentityInfo i : all) {
        Printing.identity(out, i);
      }
      return 0;
    }
  }
}
