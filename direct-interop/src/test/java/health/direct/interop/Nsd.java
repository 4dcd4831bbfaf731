package health.direct.interop;

import health.direct.testkit.dns.TestZone;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** NSD, an authoritative DNS server, serving test zones (signed ones as they are) on 127.0.0.1. */
final class Nsd extends Daemon {
  static final String BINARY = "/usr/sbin/nsd";
  final int port;

  private Nsd(int port) throws IOException {
    super("direct-nsd");
    this.port = port;
  }

  static Nsd serve(TestZone... zones) throws Exception {
    require(BINARY);
    Nsd n = new Nsd(freePort());
    StringBuilder conf = new StringBuilder()
        .append("server:\n  ip-address: 127.0.0.1\n  port: ").append(n.port).append('\n')
        .append("  do-ip6: no\n  username: \"\"\n  chroot: \"\"\n  zonesdir: \"").append(n.dir).append("\"\n")
        .append("  pidfile: \"").append(n.dir.resolve("nsd.pid")).append("\"\n")
        .append("  zonelistfile: \"").append(n.dir.resolve("zone.list")).append("\"\n")
        .append("  xfrdfile: \"").append(n.dir.resolve("xfrd.state")).append("\"\n")
        .append("  xfrdir: \"").append(n.dir).append("\"\n  database: \"\"\n  verbosity: 1\n")
        .append("  logfile: \"").append(n.dir.resolve("nsd.log")).append("\"\n")
        .append("remote-control:\n  control-enable: no\n");
    List<String> names = new ArrayList<>();
    for (TestZone z : zones) {
      String file = z.origin().toString(true) + ".zone";
      Files.writeString(n.dir.resolve(file), "$TTL 300\n" + z.masterText());
      conf.append("zone:\n  name: ").append(z.origin().toString(true)).append("\n  zonefile: ").append(file).append('\n');
      names.add(file);
    }
    Files.writeString(n.dir.resolve("nsd.conf"), conf);
    n.start(List.of(BINARY, "-d", "-c", n.dir.resolve("nsd.conf").toString()), n.port);
    return n;
  }

  String hostAndPort() {
    return "127.0.0.1:" + port;
  }
}
