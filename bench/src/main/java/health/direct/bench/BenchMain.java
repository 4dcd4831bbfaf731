package health.direct.bench;

import health.direct.core.incoming.IncomingProcessor;
import health.direct.core.smime.LocalIdentities;
import health.direct.core.incoming.OpenResult;
import health.direct.core.outgoing.OutgoingProcessor;
import health.direct.core.resolve.RecipientSelector;
import health.direct.core.incoming.Verdict;
import health.direct.core.cert.CertificateBinding;
import health.direct.core.crypto.CryptoProviders;
import health.direct.core.mime.Base64EncodingOutputStream;
import health.direct.core.resolve.FoundCertificate;
import health.direct.core.resolve.Resolution;
import health.direct.core.resolve.CertificateDiscovery;
import health.direct.core.smime.EncryptionAlgorithm;
import health.direct.core.smime.MessageOpener;
import health.direct.core.smime.MessageSealer;
import health.direct.core.smime.SealOptions;
import health.direct.core.smime.SigningIdentity;
import health.direct.transport.http.HttpFetcher;
import health.direct.core.trust.RevocationPolicy;
import health.direct.core.trust.TrustAnchors;
import health.direct.core.trust.TrustValidator;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Single-threaded seal/open throughput for 1 KiB, 100 KiB and 10 MiB messages, the same figures for
 * the openssl command (sign then encrypt; decrypt then verify), and peak RSS for a 1 GiB message in
 * a child JVM held to -Xmx128m. Prints a Markdown table for docs/benchmarks.md.
 *
 * <pre>
 * java -cp 'bench/target/direct-bench.jar:bench/target/lib/*' health.direct.bench.BenchMain \
 *     [seconds-per-case] [large-message-bytes, 0 to skip] [--no-openssl] [--sizes=1024,102400] [--gcm]
 * </pre>
 */
public final class BenchMain {
  private static final int[] SIZES = {1024, 100 * 1024, 10 * 1024 * 1024};

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("big-child")) {
      bigChild(Path.of(args[1]), Long.parseLong(args[2]), EncryptionAlgorithm.parse(args[3]));
      return;
    }
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    long bigBytes = args.length > 1 ? Long.parseLong(args[1]) : 1L << 30;
    boolean withOpenssl = !List.of(args).contains("--no-openssl");
    EncryptionAlgorithm encryption = List.of(args).contains("--gcm") ? EncryptionAlgorithm.AES256_GCM
        : EncryptionAlgorithm.AES256_CBC;
    int[] sizes = List.of(args).stream().filter(a -> a.startsWith("--sizes=")).findFirst()
        .map(a -> java.util.Arrays.stream(a.substring(8).split(",")).mapToInt(Integer::parseInt).toArray())
        .orElse(SIZES);
    Path dir = Files.createTempDirectory("direct-bench");
    try (TestPki pki = TestPki.start(Clock.systemUTC())) {
      Parties p = new Parties(pki, dir, encryption);
      System.out.println("crypto: " + CryptoProviders.detect().describe() + "; content: " + encryption.label());
      System.out.println("| size | direct seal/s | direct open/s | direct seal ms | direct open ms | openssl seal/s | openssl open/s | openssl seal ms | openssl open ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      for (int size : sizes) {
        Path plain = p.plainMessage(dir.resolve("plain-" + size + ".eml"), size);
        Path sealed = dir.resolve("sealed-" + size + ".eml");
        p.seal(plain, sealed);
        if (p.open(sealed) != Verdict.TRUSTED) {
          throw new IllegalStateException("the benchmark message does not open as trusted");
        }
        // into a discarding sink: what is measured is sealing, not the file system's create/truncate
        double sealRate = rate(seconds, () -> p.sealTo(plain, OutputStream.nullOutputStream()));
        double openRate = rate(seconds, () -> p.open(sealed));
        if (!withOpenssl) {
          System.out.printf("| %s | %.0f | %.0f | %.2f | %.2f | - | - | - | - |%n", label(size), sealRate, openRate,
              1000 / sealRate, 1000 / openRate);
          continue;
        }
        Openssl o = new Openssl(p, dir, encryption);
        Path body = o.entity(plain, dir.resolve("entity-" + size + ".txt"));
        Path osslSealed = dir.resolve("ossl-" + size + ".eml");
        o.seal(body, osslSealed);
        double osslSeal = rate(seconds, () -> o.seal(body, dir.resolve("ossl-s.eml")));
        double osslOpen = rate(seconds, () -> o.open(osslSealed));
        System.out.printf("| %s | %.0f | %.0f | %.2f | %.2f | %.0f | %.0f | %.2f | %.2f |%n", label(size), sealRate,
            openRate, 1000 / sealRate, 1000 / openRate, osslSeal, osslOpen, 1000 / osslSeal, 1000 / osslOpen);
      }
      if (bigBytes > 0) {
        big(dir, bigBytes, encryption);
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  interface Op {
    void run() throws Exception;
  }

  static double rate(double seconds, Op op) throws Exception {
    long warmEnd = System.nanoTime() + (long) (seconds * 0.4e9);
    while (System.nanoTime() < warmEnd) {
      op.run();
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int n = 0;
    while (System.nanoTime() < end || n < 3) {
      op.run();
      n++;
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  static String label(long size) {
    return size >= 1 << 30 ? (size >> 30) + " GiB" : size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
  }

  /** Alice sends to Bob; both trust the test root; Bob's certificate is in Alice's address book. */
  static final class Parties {
    final TestIdentity alice;
    final TestIdentity bob;
    final OutgoingProcessor sender;
    final IncomingProcessor receiver;
    final TestPki pki;

    Parties(TestPki pki, Path dir, EncryptionAlgorithm encryption) {
      this.pki = pki;
      alice = pki.issue(LeafSpec.address("alice@hospital.example"));
      bob = pki.issue(LeafSpec.address("bob@clinic.example"));
      TrustAnchors anchors = TrustAnchors.of(pki.root().certificate());
      TrustValidator validator = new TrustValidator(Clock.systemUTC(), HttpFetcher.withDefaults(), RevocationPolicy.STRICT);
      sender = new OutgoingProcessor(
          LocalIdentities.inMemory(List.of(new SigningIdentity(alice.privateKey(), alice.chain()))),
          new CertificateDiscovery(a -> new Resolution(a, List.of(new FoundCertificate(bob.certificate(), "bench",
              CertificateBinding.of(bob.certificate(), a))), List.of()), List.of(), new RecipientSelector(validator),
              true),
          anchors, SealOptions.builder().encryption(encryption).build(),
          new MessageSealer(CryptoProviders.detect()), Clock.systemUTC());
      receiver = new IncomingProcessor(
          LocalIdentities.inMemory(List.of(new SigningIdentity(bob.privateKey(), bob.chain()))), anchors, validator,
          new MessageOpener(CryptoProviders.detect(), dir.resolve("work")));
    }

    Path plainMessage(Path file, long attachmentBytes) throws IOException {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
        out.write(("From: alice@hospital.example\r\nTo: bob@clinic.example\r\nSubject: Referral\r\n"
            + "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bench@hospital.example>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
            + "See attached.\r\n--b1\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        Random r = new Random(42);
        byte[] chunk = new byte[57 * 1024];
        long left = attachmentBytes * 3 / 4;
        OutputStream b64 = new Base64EncodingOutputStream(out); // closing it does not close out
        while (left > 0) {
          r.nextBytes(chunk);
          int n = (int) Math.min(chunk.length, left);
          b64.write(chunk, 0, n);
          left -= n;
        }
        b64.close();
        out.write("\r\n--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      return file;
    }

    void seal(Path plain, Path sealed) throws IOException {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(sealed), 1 << 16)) {
        sender.seal(plain, os);
      }
    }

    void sealTo(Path plain, OutputStream out) {
      sender.seal(plain, out);
    }

    Verdict open(Path sealed) {
      OpenResult r = receiver.open(sealed, Optional.empty());
      return r.verdict();
    }
  }

  /** The openssl command doing the same work: cms -sign | cms -encrypt, and cms -decrypt | cms -verify. */
  static final class Openssl {
    final Path aliceCert;
    final Path aliceKey;
    final Path bobCert;
    final Path bobKey;
    final Path root;
    final String cipher;

    Openssl(Parties p, Path dir, EncryptionAlgorithm encryption) throws IOException {
      cipher = encryption.authenticated() ? "-aes-256-gcm" : "-aes256";
      aliceCert = p.alice.writeCertificatePem(dir.resolve("alice.pem"));
      aliceKey = p.alice.writePrivateKeyPem(dir.resolve("alice.key"));
      bobCert = p.bob.writeCertificatePem(dir.resolve("bob.pem"));
      bobKey = p.bob.writePrivateKeyPem(dir.resolve("bob.key"));
      root = Files.writeString(dir.resolve("root.pem"), TestIdentity.pem(p.pki.root().certificate(),
          p.pki.intermediate().certificate()));
    }

    Path entity(Path plain, Path out) throws IOException {
      try (OutputStream os = Files.newOutputStream(out)) {
        os.write("Content-Type: message/rfc822\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Files.copy(plain, os);
      }
      return out;
    }

    void seal(Path entity, Path out) throws Exception {
      sh("openssl cms -sign -md sha256 -in '" + entity + "' -signer '" + aliceCert + "' -inkey '" + aliceKey
          + "' | openssl cms -encrypt " + cipher + " -out '" + out + "' '" + bobCert + "'");
    }

    void open(Path sealed) throws Exception {
      sh("openssl cms -decrypt -in '" + sealed + "' -recip '" + bobCert + "' -inkey '" + bobKey
          + "' | openssl cms -verify -CAfile '" + root + "' -out /dev/null 2>/dev/null");
    }
  }

  static void sh(String cmd) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("command failed: " + cmd + "\n" + new String(out, StandardCharsets.UTF_8));
    }
  }

  /** Seals and opens a large message in a child JVM with -Xmx128m and reports its peak RSS. */
  static void big(Path dir, long bytes, EncryptionAlgorithm encryption) throws Exception {
    String cp = System.getProperty("java.class.path");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", cp, BenchMain.class.getName(), "big-child", dir.toString(), Long.toString(bytes),
        encryption.label()));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("the large-message run failed");
    }
  }

  static void bigChild(Path dir, long bytes, EncryptionAlgorithm encryption) throws Exception {
    try (TestPki pki = TestPki.start(Clock.systemUTC())) {
      Parties p = new Parties(pki, dir, encryption);
      Path plain = p.plainMessage(dir.resolve("big-plain.eml"), bytes);
      Path sealed = dir.resolve("big-sealed.eml");
      long t0 = System.nanoTime();
      p.seal(plain, sealed);
      long t1 = System.nanoTime();
      Verdict v = p.open(sealed);
      long t2 = System.nanoTime();
      Runtime rt = Runtime.getRuntime();
      System.out.printf("%n%s message (-Xmx128m): seal %.1f s, open %.1f s (%s), max heap %d MiB, peak RSS %s%n",
          label(bytes), (t1 - t0) / 1e9, (t2 - t1) / 1e9, v.label(), rt.maxMemory() >> 20, peakRss());
      Files.deleteIfExists(plain);
      Files.deleteIfExists(sealed);
    }
  }

  static String peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return line.substring(6).trim();
      }
    }
    return "unknown";
  }
}
