package health.direct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import health.direct.testkit.dns.DnsResponder;
import health.direct.testkit.dns.TestZone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: two homes (Alice's and Bob's), real files, exit codes and JSON. */
class CommandLineTest {
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  // discovery asks this responder, never the machine's DNS; it knows the zones but publishes nothing
  @AutoClose
  static final DnsResponder dns = DnsResponder.start().serve(TestZone.named("elsewhere.example").unsigned())
      .serve(TestZone.named("clinic.example").unsigned()).serve(TestZone.named("hospital.example").unsigned());
  static final TestIdentity alice = pki.issue(LeafSpec.address("alice@hospital.example"));
  static final TestIdentity bob = pki.issue(LeafSpec.address("bob@clinic.example"));

  @TempDir
  Path dir;
  Path aliceHome;
  Path bobHome;
  final Map<String, String> env = new HashMap<>(Map.of("DIRECT_PASSWORD", "correct horse battery staple"));

  record Run(int exit, String out, String err) {}

  Run direct(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void homes() throws Exception {
    aliceHome = dir.resolve("alice-home");
    bobHome = dir.resolve("bob-home");
    Path root = Files.writeString(dir.resolve("root.pem"), TestIdentity.pem(pki.root().certificate()));
    env.put("P12_PW", "p12-secret");
    Files.write(dir.resolve("alice.p12"), alice.toPkcs12("p12-secret".toCharArray()));
    Files.write(dir.resolve("bob.p12"), bob.toPkcs12("p12-secret".toCharArray()));
    alice.writeCertificatePem(dir.resolve("alice.pem"));
    bob.writeCertificatePem(dir.resolve("bob.pem"));
    for (String[] who : List.of(new String[] {"alice", aliceHome.toString()}, new String[] {"bob", bobHome.toString()})) {
      assertThat(direct("--home", who[1], "identity", "import", "--p12", dir.resolve(who[0] + ".p12").toString(),
          "--p12-password-env", "P12_PW").exit()).isZero();
      assertThat(direct("--home", who[1], "anchors", "add", root.toString()).exit()).isZero();
      Files.writeString(Path.of(who[1], "config.properties"),
          "dns.servers = " + dns.hostAndPort() + "\ndns.dnssec.trust-anchors = none\n");
    }
    assertThat(direct("--home", aliceHome.toString(), "contacts", "add", "bob@clinic.example", "--cert",
        dir.resolve("bob.pem").toString()).exit()).isZero();
    Files.writeString(dir.resolve("plain.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: Referral for J. Doe\r\n\r\nPlease see J. Doe next week.\r\n");
  }

  @Test
  void everyListingPrintsJsonWithIsoTimesInMilliseconds() throws Exception {
    String a = aliceHome.toString();
    String iso = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    var json = new com.fasterxml.jackson.databind.ObjectMapper();

    var ids = json.readTree(direct("--home", a, "identity", "list", "--json").out());
    assertThat(ids.get(0).get("owner").asText()).isEqualTo("alice@hospital.example");
    assertThat(ids.get(0).get("canSign").asBoolean()).isTrue();
    assertThat(ids.get(0).get("notAfter").asText()).matches(iso);
    var anchors = json.readTree(direct("--home", a, "anchors", "list", "--json").out());
    assertThat(anchors.get(0).get("subject").asText()).contains("Direct Test Root CA");
    var contacts = json.readTree(direct("--home", a, "contacts", "list", "--json").out());
    assertThat(contacts.get(0).get("address").asText()).isEqualTo("bob@clinic.example");
    assertThat(contacts.get(0).get("verified").isNull()).isTrue();
    var bob = json.readTree(direct("--home", a, "contacts", "show", "bob@clinic.example", "--json").out());
    assertThat(bob.get("certificateDetails").get(0).get("binding").asText()).isEqualTo("address");
    assertThat(bob.get("added").asText()).matches(iso);
    var published = json.readTree(direct("--home", a, "publish", "dns", "--json").out());
    assertThat(published.get(0).get("name").asText()).isEqualTo("alice.hospital.example.");
    assertThat(published.get(0).get("record").asText()).contains("CERT");
  }

  @Test
  void passwordChangeReencryptsEveryKeyAndSecretAndTheOldPasswordNoLongerOpensThem() throws Exception {
    String b = bobHome.toString();
    env.put("MAIL_PW", "imap-secret");
    Files.writeString(Path.of(b, "config.properties"), "fetch.host = mail.clinic.example\nfetch.user = bob\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(direct("--home", b, "account", "set-password", "--server-password-env", "MAIL_PW").exit()).isZero();
    Run seal = direct("--home", aliceHome.toString(), "seal", "--in", dir.resolve("plain.eml").toString(),
        "--out", dir.resolve("sealed.eml").toString());
    assertThat(seal.exit()).as(seal.err()).isZero();
    env.put("NEW_PW", "a new and longer passphrase");
    Run noTerminal = direct("--home", b, "password", "change");
    assertThat(noTerminal.exit()).isEqualTo(2);
    assertThat(noTerminal.err()).contains("--new-password-env VAR").doesNotContain("set DIRECT_PASSWORD");

    Run change = direct("--home", b, "password", "change", "--new-password-env", "NEW_PW");

    assertThat(change.exit()).as(change.err()).isZero();
    assertThat(change.out()).contains("re-encrypted 2 file(s)");
    Run old = direct("--home", b, "open", "--in", dir.resolve("sealed.eml").toString());
    assertThat(old.exit()).isEqualTo(12);
    env.put("DIRECT_PASSWORD", "a new and longer passphrase");
    Run opened = direct("--home", b, "open", "--in", dir.resolve("sealed.eml").toString());
    assertThat(opened.exit()).as(opened.err()).isZero();
    // run again with the new password as the current one: everything is already under it
    assertThat(direct("--home", b, "password", "change", "--new-password-env", "NEW_PW").out())
        .contains("re-encrypted 0 file(s)").contains("2 already were");
    env.put("DIRECT_PASSWORD", "wrong");
    env.put("NEW_PW", "another");
    Run wrong = direct("--home", b, "password", "change", "--new-password-env", "NEW_PW");
    assertThat(wrong.exit()).isEqualTo(12);
    assertThat(wrong.err()).contains("nothing was changed");
  }

  /** {@code direct args...} in a child JVM under {@code umask 000}; returns its exit code. */
  private int underUmask000(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c", "umask 000; exec \"$@\"", "sh",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("umask-" + System.nanoTime() + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start().waitFor();
  }

  @Test
  void everyFileAndFolderOfAHomeIsOwnerOnlyUnderUmask000() throws Exception {
    Path home = dir.resolve("umask-home");
    String h = home.toString();
    Files.write(dir.resolve("u.p12"), alice.toPkcs12("p12-secret".toCharArray()));
    assertThat(underUmask000("--home", h, "identity", "import", "--p12", dir.resolve("u.p12").toString(),
        "--p12-password-env", "P12_PW")).isZero();
    assertThat(underUmask000("--home", h, "anchors", "add", dir.resolve("root.pem").toString())).isZero();
    assertThat(underUmask000("--home", h, "contacts", "add", "bob@clinic.example", "--cert",
        dir.resolve("bob.pem").toString())).isZero();
    Files.writeString(home.resolve("config.properties"), "dns.servers = " + dns.hostAndPort()
        + "\ndns.dnssec.trust-anchors = none\n");
    assertThat(underUmask000("--home", h, "send", "--from", "alice@hospital.example", "--to", "bob@clinic.example",
        "--subject", "s", "--body", "b", "--queue-only")).isZero();
    assertThat(underUmask000("--home", h, "inbox")).isZero();
    assertThat(underUmask000("--home", h, "outbox")).isZero();

    List<String> open = new java.util.ArrayList<>();
    try (var walk = Files.walk(home)) {
      for (Path p : walk.toList()) {
        if (p.getFileName().toString().equals("config.properties")) {
          continue; // written by the test, not by direct
        }
        String perms = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        if (!perms.equals(Files.isDirectory(p) ? "rwx------" : "rw-------")) {
          open.add(home.relativize(p) + " " + perms);
        }
      }
    }
    assertThat(open).as("files and folders others can read").isEmpty();
    try (var walk = Files.walk(home)) {
      assertThat(walk.map(p -> p.getFileName().toString())).contains("index.db", "message.eml", "state.json");
    }
  }

  @Test
  void aPasswordFileOthersCanReadIsRefusedWithTheCommandThatFixesIt() throws Exception {
    Path pw = Files.writeString(dir.resolve("store.pw"), "correct horse battery staple\n");
    Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

    Run r = direct("--home", aliceHome.toString(), "--password-file", pw.toString(), "seal", "--in",
        dir.resolve("plain.eml").toString(), "--out", dir.resolve("s.eml").toString());

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("can be read or changed by others").contains("chmod 600 " + pw);
    Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Run ok = direct("--home", aliceHome.toString(), "--password-file", pw.toString(), "seal", "--in",
        dir.resolve("plain.eml").toString(), "--out", dir.resolve("s.eml").toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
  }

  @Test
  void plaintextAKilledOpenLeftBehindIsRemovedWhenTheNextCommandStarts() throws Exception {
    StringBuilder big = new StringBuilder("From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: large\r\n\r\n");
    for (int i = 0; i < 400_000; i++) {
      big.append("Patient J. Doe, line ").append(i).append(" of the discharge summary\r\n");
    }
    Path plain = Files.writeString(dir.resolve("big.eml"), big);
    assertThat(direct("--home", aliceHome.toString(), "seal", "--in", plain.toString(), "--out",
        dir.resolve("big.sealed").toString()).exit()).isZero();
    Path work = bobHome.resolve("work");

    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--home", bobHome.toString(),
        "open", "--in", dir.resolve("big.sealed").toString(), "--out", dir.resolve("big.opened").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed-open.log").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    boolean scratch = false;
    while (!scratch && p.isAlive() && System.nanoTime() < deadline) {
      try (var files = Files.list(work)) {
        scratch = files.anyMatch(f -> f.getFileName().toString().startsWith("open-"));
      }
      Thread.sleep(5);
    }
    p.destroyForcibly().waitFor();
    assertThat(scratch).as("the open was killed while its decrypted scratch file existed").isTrue();
    try (var files = Files.list(work)) {
      assertThat(files.count()).as("left behind by the killed process").isPositive();
    }

    assertThat(direct("--home", bobHome.toString(), "identity", "list").exit()).isZero();

    try (var files = Files.list(work)) {
      assertThat(files.map(Path::getFileName)).isEmpty();
    }
    assertThat(dir.resolve("big.opened")).doesNotExist();
  }

  @Test
  void withJsonALargeMessageReportsProgressAsJsonLinesOnStandardErrorAndQuietSilencesIt() throws Exception {
    StringBuilder big = new StringBuilder("From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: large\r\n\r\n");
    for (int i = 0; i < 150_000; i++) {
      big.append("Patient J. Doe, line ").append(i).append(" of the discharge summary\r\n");
    }
    Path plain = Files.writeString(dir.resolve("big.eml"), big);

    Run seal = direct("--home", aliceHome.toString(), "seal", "--in", plain.toString(), "--out",
        dir.resolve("big.sealed").toString(), "--json");
    Run open = direct("--home", bobHome.toString(), "open", "--in", dir.resolve("big.sealed").toString(), "--json");
    Run quiet = direct("--home", aliceHome.toString(), "seal", "--in", plain.toString(), "--out",
        dir.resolve("big2.sealed").toString(), "--json", "--quiet");
    Run small = direct("--home", aliceHome.toString(), "seal", "--in", dir.resolve("plain.eml").toString(), "--out",
        dir.resolve("small.sealed").toString(), "--json");

    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(seal.exit()).as(seal.err()).isZero();
    assertThat(json.readTree(seal.out()).get("messageId").asText()).isNotEmpty(); // standard output: the one result
    List<com.fasterxml.jackson.databind.JsonNode> events = new java.util.ArrayList<>();
    for (String line : seal.err().split("\n")) {
      events.add(json.readTree(line));
    }
    assertThat(events).hasSizeGreaterThan(2).allSatisfy(e -> assertThat(e.get("operation").asText()).isEqualTo("seal"));
    assertThat(events.subList(0, events.size() - 1)).allSatisfy(e -> assertThat(e.get("event").asText())
        .isEqualTo("progress"));
    assertThat(events.get(events.size() - 1).get("event").asText()).isEqualTo("done");
    assertThat(events.get(events.size() - 1).get("bytes").asLong()).isEqualTo(Files.size(dir.resolve("big.sealed")));
    assertThat(open.exit()).as(open.err()).isZero();
    assertThat(open.err().lines().map(l -> {
      try {
        return json.readTree(l).get("event").asText();
      } catch (Exception e) {
        throw new AssertionError(l, e);
      }
    })).contains("progress", "done");
    assertThat(quiet.err()).isEmpty();
    assertThat(small.err()).as("a small message needs no progress").isEmpty();
  }

  @Test
  void serveListensOnLoopbackSaysWhereSignsInWithTheStorePasswordAndStopsOnSigterm() throws Exception {
    Run refused = direct("--home", bobHome.toString(), "serve", "--host", "0.0.0.0", "--no-agent");
    assertThat(refused.exit()).isEqualTo(health.direct.core.Problem.CONFIG.exitCode());
    assertThat(refused.err()).contains("without TLS").contains("--tls-cert").contains("SSH tunnel");

    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "--home", bobHome.toString(), "serve",
        "--port", "0", "--no-agent");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8))) {
      String first = lines.readLine();
      assertThat(first).startsWith("serve: the web client is at http://127.0.0.1:");
      String url = first.replaceAll(".*(http://127\\.0\\.0\\.1:\\d+/).*", "$1");
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "login")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      var signIn = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "login"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("password="
              + java.net.URLEncoder.encode(env.get("DIRECT_PASSWORD"), java.nio.charset.StandardCharsets.UTF_8)))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(302);
      assertThat(signIn.headers().firstValue("Location")).hasValue("/folders/inbox");
    } finally {
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
    }
  }

  @Test
  void aCorpusOfMalformedInputsGetsVerdictsInWordsNeverAnExceptionOrAStackTrace() throws Exception {
    assertThat(direct("--home", aliceHome.toString(), "seal", "--in", dir.resolve("plain.eml").toString(), "--out",
        dir.resolve("good.sealed").toString()).exit()).isZero();
    String good = Files.readString(dir.resolve("good.sealed"), java.nio.charset.StandardCharsets.ISO_8859_1);
    int body = good.indexOf("\r\n\r\n") + 4;
    String headers = good.substring(0, body);
    java.util.Random random = new java.util.Random(7);
    byte[] noise = new byte[4096];
    random.nextBytes(noise);
    java.util.Map<String, byte[]> corpus = new java.util.LinkedHashMap<>();
    corpus.put("empty file", new byte[0]);
    corpus.put("random bytes", noise);
    corpus.put("headers only", headers.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("base64 of random bytes", (headers + java.util.Base64.getMimeEncoder().encodeToString(noise))
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("no base64 at all", (headers + "!!!! **** ????\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("truncated", good.substring(0, body + (good.length() - body) / 2)
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("wrong transfer encoding", good.replace("Content-Transfer-Encoding: base64",
        "Content-Transfer-Encoding: quoted-printable").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("unknown transfer encoding", good.replace("Content-Transfer-Encoding: base64",
        "Content-Transfer-Encoding: x-rot13").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("unparsable content type", ("From: a@b.example\r\nContent-Type: application/pkcs7-mime; ;;==\r\n\r\nAAAA\r\n")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("signed without boundary", ("From: a@b.example\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"\r\n\r\nx\r\n")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("a megabyte without a line end", ("From: a@b.example\r\nSubject: " + "x".repeat(1 << 20))
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    corpus.put("NUL in the headers", ("From: a@b.example\u0000\r\nContent-Type: application/pkcs7-mime\u0000\r\n\r\nAAAA")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    for (int i = 0; i < 8; i++) {
      char[] damaged = good.toCharArray();
      int at = body + 40 + random.nextInt(Math.max(1, damaged.length - body - 200));
      damaged[at] = damaged[at] == 'A' ? 'z' : 'A';
      corpus.put("damaged at " + at, new String(damaged).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    for (var e : corpus.entrySet()) {
      Path f = Files.write(dir.resolve("bad-" + Math.abs(e.getKey().hashCode()) + ".eml"), e.getValue());
      Run r = direct("--home", bobHome.toString(), "open", "--in", f.toString(), "--out", dir.resolve("x.eml").toString());
      assertThat(r.err()).as(e.getKey()).doesNotContainPattern("Exception|\\tat |java\\.|org\\.bouncycastle|internal error");
      if (e.getKey().startsWith("damaged") && r.exit() == 0) {
        // a byte of the envelope nothing reads for Bob (the sender's own copy of the key, say): still intact
        Files.deleteIfExists(dir.resolve("x.eml"));
        continue;
      }
      assertThat(r.exit()).as("%s: %s", e.getKey(), r.err()).isIn(4, 5, 6, 7, 8, 9);
      assertThat(dir.resolve("x.eml")).as(e.getKey()).doesNotExist();
    }
  }

  @Test
  void sealThenOpenAcrossTwoHomesIsTrustedWithJson() throws Exception {
    Run seal = direct("--home", aliceHome.toString(), "seal", "--in", dir.resolve("plain.eml").toString(),
        "--out", dir.resolve("sealed.eml").toString());
    assertThat(seal.exit()).as(seal.err()).isZero();
    assertThat(seal.out()).contains("to bob@clinic.example: 1 address-bound certificate(s)");

    Run open = direct("--home", bobHome.toString(), "open", "--in", dir.resolve("sealed.eml").toString(),
        "--out", dir.resolve("opened.eml").toString(), "--json");

    assertThat(open.exit()).as(open.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(open.out());
    assertThat(j.get("verdict").asText()).isEqualTo("trusted");
    assertThat(j.get("signer").get("address").asText()).isEqualTo("alice@hospital.example");
    assertThat(j.get("signer").get("sha256").asText()).hasSize(64);
    assertThat(j.get("anchor").get("subject").asText()).contains("Direct Test Root CA");
    assertThat(j.get("encryption").asText()).isEqualTo("AES-256-CBC");
    assertThat(j.get("digest").asText()).isEqualTo("SHA-256");
    assertThat(j.get("wrapped").asBoolean()).isTrue();
    assertThat(Files.readString(dir.resolve("opened.eml"))).contains("Subject: Referral for J. Doe");
  }

  @Test
  void failuresHaveDistinctExitCodesAndWriteNothing() throws Exception {
    direct("--home", aliceHome.toString(), "seal", "--in", dir.resolve("plain.eml").toString(), "--out",
        dir.resolve("sealed.eml").toString());
    Path out = dir.resolve("never.eml");

    Run unsecured = direct("--home", bobHome.toString(), "open", "--in", dir.resolve("plain.eml").toString(),
        "--out", out.toString(), "--json");
    assertThat(unsecured.exit()).isEqualTo(5);
    assertThat(new ObjectMapper().readTree(unsecured.out()).get("verdict").asText()).isEqualTo("unsecured");

    // a third home whose only key is not among the message's recipients
    Path carolHome = dir.resolve("carol-home");
    Files.write(dir.resolve("carol.p12"), pki.issue(LeafSpec.address("carol@clinic.example"))
        .toPkcs12("p12-secret".toCharArray()));
    assertThat(direct("--home", carolHome.toString(), "identity", "import", "--p12", dir.resolve("carol.p12").toString(),
        "--p12-password-env", "P12_PW").exit()).isZero();
    Run noKey = direct("--home", carolHome.toString(), "open", "--in", dir.resolve("sealed.eml").toString(), "--json");
    assertThat(noKey.exit()).isEqualTo(6);
    assertThat(new ObjectMapper().readTree(noKey.out()).get("verdict").asText()).isEqualTo("error");
    assertThat(noKey.err()).contains("no local key can decrypt");

    Path garbage = Files.writeString(dir.resolve("garbage.eml"), "Content-Type: application/pkcs7-mime\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n");
    Run malformed = direct("--home", bobHome.toString(), "open", "--in", garbage.toString(), "--out", out.toString());
    assertThat(malformed.exit()).isEqualTo(4);
    assertThat(malformed.err()).contains("error:");

    // Bob's home without the anchor: the signer cannot be traced
    String root = direct("--home", bobHome.toString(), "anchors", "list").out().lines()
        .filter(l -> l.contains("sha-256")).findFirst().orElseThrow().replaceAll(".*sha-256\\s+", "").trim();
    assertThat(direct("--home", bobHome.toString(), "anchors", "remove", root.substring(0, 23)).exit()).isZero();
    Run untrusted = direct("--home", bobHome.toString(), "open", "--in", dir.resolve("sealed.eml").toString(),
        "--out", out.toString());
    assertThat(untrusted.exit()).isEqualTo(8);
    assertThat(untrusted.err()).contains("untrusted").contains("no trust anchor");
    assertThat(out).doesNotExist();
  }

  @Test
  @Tag("risk1")
  void sealRefusesWhenNoRecipientCanBeSecuredAndWritesNothing() throws Exception {
    Files.writeString(dir.resolve("p2.eml"), "From: alice@hospital.example\r\nTo: stranger@elsewhere.example\r\n"
        + "Subject: s\r\n\r\nb\r\n");
    Run r = direct("--home", aliceHome.toString(), "seal", "--in", dir.resolve("p2.eml").toString(), "--out",
        dir.resolve("s2.eml").toString());
    assertThat(r.exit()).isEqualTo(11);
    assertThat(r.err()).contains("no certificate found for stranger@elsewhere.example").contains("address book")
        .contains("CERT stranger.elsewhere.example: NXDOMAIN").contains("CERT elsewhere.example: NODATA")
        .contains("SRV _ldap._tcp.elsewhere.example: NXDOMAIN");
    assertThat(dir.resolve("s2.eml")).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".direct-seal-"));
    }
  }

  @Test
  void secretsAreOwnerOnlyAndNeedThePassword() throws Exception {
    try (Stream<Path> s = Files.list(aliceHome.resolve("identities"))) {
      List<Path> p12 = s.filter(p -> p.toString().endsWith(".p12")).toList();
      assertThat(p12).hasSize(1);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p12.get(0)))).isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(aliceHome))).isEqualTo("rwx------");
    env.put("DIRECT_PASSWORD", "wrong password");
    Run r = direct("--home", aliceHome.toString(), "seal", "--in", dir.resolve("plain.eml").toString(), "--out",
        dir.resolve("s.eml").toString());
    assertThat(r.exit()).isEqualTo(12);
    assertThat(r.err()).contains("store password is wrong");
    assertThat(r.err()).doesNotContain("wrong password");
  }

  @Test
  void identityListAndContactsShowNeedNoPassword() {
    env.remove("DIRECT_PASSWORD");
    Run ids = direct("--home", aliceHome.toString(), "identity", "list");
    assertThat(ids.exit()).as(ids.err()).isZero();
    assertThat(ids.out()).contains("alice@hospital.example").contains("sign encrypt");
    Run show = direct("--home", aliceHome.toString(), "contacts", "show", "Bob@Clinic.example");
    assertThat(show.exit()).isZero();
    assertThat(show.out()).contains("address-bound (bob@clinic.example)").contains("imported from bob.pem");
  }

  @Test
  void createdKeyBecomesAnIdentityWhenItsCertificateIsInstalled() throws Exception {
    Path csr = dir.resolve("carol.csr");
    Run create = direct("--home", aliceHome.toString(), "identity", "create", "--address", "carol@hospital.example",
        "--csr-out", csr.toString());
    assertThat(create.exit()).as(create.err()).isZero();
    PKCS10CertificationRequest req;
    try (PEMParser p = new PEMParser(Files.newBufferedReader(csr))) {
      req = (PKCS10CertificationRequest) p.readObject();
    }
    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(
        new X509EncodedKeySpec(req.getSubjectPublicKeyInfo().getEncoded()));
    Path issued = Files.writeString(dir.resolve("carol.pem"), TestIdentity.pem(
        pki.issueFor(LeafSpec.address("carol@hospital.example"), key).toArray()), StandardCharsets.US_ASCII);
    assertThat(direct("--home", aliceHome.toString(), "identity", "list").out()).contains("waiting for its certificate");

    Run install = direct("--home", aliceHome.toString(), "identity", "install-cert", issued.toString());

    assertThat(install.exit()).as(install.err()).isZero();
    assertThat(direct("--home", aliceHome.toString(), "identity", "list").out())
        .contains("carol@hospital.example").doesNotContain("waiting");
  }

  @Test
  void groupCommandWithoutSubcommandIsAUsageErrorThatShowsTheChoices() {
    Run r = direct("--home", aliceHome.toString(), "anchors");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required subcommand").contains("add").contains("remove");
  }

  @Test
  void anchorRemovalNeedsAnUnambiguousFingerprintPrefix() {
    Run shortPrefix = direct("--home", aliceHome.toString(), "anchors", "remove", "abc");
    assertThat(shortPrefix.exit()).isEqualTo(2);
    assertThat(shortPrefix.err()).contains("at least 8 hex digits");
    Run unknown = direct("--home", aliceHome.toString(), "anchors", "remove", "00000000");
    assertThat(unknown.exit()).isEqualTo(14);
  }

  @Test
  void contactWhoseCertificateNamesSomeoneElseIsRefused() {
    Run r = direct("--home", aliceHome.toString(), "contacts", "add", "eve@clinic.example", "--cert",
        dir.resolve("bob.pem").toString());
    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.err()).contains("bound to neither eve@clinic.example");
  }

  @Test
  void anUnknownCommandIsAnErrorWithSuggestionsEvenWhenHelpFollowsIt() {
    Run r = direct("inbx", "--help");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("inbx").contains("inbox");
    assertThat(r.out()).doesNotContain("Usage: direct [");
  }

  @Test
  void aMissingMessageFileIsAnInputOutputErrorNamingThePath() {
    Run r = direct("--home", aliceHome.toString(), "send", "--eml", dir.resolve("nothing-here.eml").toString());

    assertThat(r.exit()).isEqualTo(13);
    assertThat(r.err()).contains("no such file: " + dir.resolve("nothing-here.eml")).doesNotContain("internal error");
  }
}
