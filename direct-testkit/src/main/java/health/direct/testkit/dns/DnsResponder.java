package health.direct.testkit.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server on 127.0.0.1 for tests and the sandbox: UDP and TCP on the same
 * ephemeral port, EDNS0, truncation when an answer exceeds the UDP size (so clients must retry over
 * TCP, CD-04), and DNSSEC records when the query sets the DO bit. It serves {@link TestZone}s and
 * records every query it answers, so tests can check what was asked and how.
 *
 * <pre>{@code
 * try (DnsResponder dns = DnsResponder.start()) {
 *   dns.serve(TestZone.named("clinic.example").cert("bob.clinic.example", cert).unsigned());
 *   InetSocketAddress server = dns.address();
 * }
 * }</pre>
 */
public final class DnsResponder implements AutoCloseable {
  /** The UDP payload size modern authoritative servers cap answers at (DNS flag day 2020). */
  public static final int DEFAULT_MAX_UDP = 1232;

  /** One question the responder answered. */
  public record Query(Name name, int type, boolean tcp, int ednsPayload, boolean dnssecOk) {
    @Override
    public String toString() {
      return (tcp ? "TCP " : "UDP ") + Type.string(type) + " " + name;
    }
  }

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "dns-responder");
    t.setDaemon(true);
    return t;
  });
  private final Map<Name, TestZone> zones = new ConcurrentHashMap<>();
  private final List<Query> queries = new CopyOnWriteArrayList<>();
  private final java.util.Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile int maxUdp = DEFAULT_MAX_UDP;
  private volatile boolean silent;

  private DnsResponder(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
    threads.execute(this::serveUdp);
    threads.execute(this::acceptTcp);
  }

  /** Starts on 127.0.0.1, UDP and TCP on one free port. */
  public static DnsResponder start() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int tries = 0; tries < 20; tries++) {
      DatagramSocket u = null;
      try {
        u = new DatagramSocket(new InetSocketAddress(loopback, 0));
        ServerSocket t = new ServerSocket();
        try {
          t.bind(new InetSocketAddress(loopback, u.getLocalPort()));
        } catch (IOException taken) {
          t.close();
          u.close();
          continue;
        }
        return new DnsResponder(u, t);
      } catch (IOException e) {
        if (u != null) {
          u.close();
        }
        throw new IllegalStateException("cannot start the test DNS responder: " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("no free port for UDP and TCP together on 127.0.0.1");
  }

  /** Serves {@code zone}, replacing any zone of the same name. */
  public DnsResponder serve(TestZone zone) {
    zone.data();
    zones.put(zone.origin(), zone);
    return this;
  }

  /** The largest UDP answer sent; larger ones are truncated (TC) so the client must use TCP. */
  public DnsResponder maxUdpPayload(int bytes) {
    this.maxUdp = bytes;
    return this;
  }

  /** Makes the server stop answering (a dead or firewalled server); queries are still recorded. */
  public DnsResponder silent(boolean silent) {
    this.silent = silent;
    return this;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
  }

  /** host:port, as the DNS server settings take it. */
  public String hostAndPort() {
    return udp.getLocalAddress().getHostAddress() + ":" + udp.getLocalPort();
  }

  public List<Query> queries() {
    return Collections.unmodifiableList(new ArrayList<>(queries));
  }

  public void clearQueries() {
    queries.clear();
  }

  @Override
  public void close() {
    udp.close();
    try {
      tcp.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    // clients keep TCP connections open; a blocked read ends only when its socket closes
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serveUdp() {
    byte[] buf = new byte[65535];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        Optional<Message> answer = answer(q, false);
        if (answer.isEmpty()) {
          continue;
        }
        OPTRecord opt = q.getOPT();
        int limit = opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), maxUdp));
        byte[] out = answer.get().toWire(limit);
        udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (SocketException closed) {
        return;
      } catch (IOException malformed) {
        // a query we cannot parse gets no answer, like a real server under garbage
      }
    }
  }

  private void acceptTcp() {
    while (!tcp.isClosed()) {
      try {
        Socket s = tcp.accept();
        connections.add(s);
        threads.execute(() -> serveTcp(s));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serveTcp(Socket s) {
    try (s; DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
      s.setSoTimeout(10_000);
      while (true) {
        int len;
        try {
          len = in.readUnsignedShort();
        } catch (EOFException end) {
          return;
        }
        byte[] msg = new byte[len];
        in.readFully(msg);
        Optional<Message> answer = answer(new Message(msg), true);
        if (answer.isEmpty()) {
          return;
        }
        byte[] wire = answer.get().toWire();
        out.writeShort(wire.length);
        out.write(wire);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    } finally {
      connections.remove(s);
    }
  }

  private Optional<Message> answer(Message q, boolean overTcp) {
    Record question = q.getQuestion();
    if (question == null) {
      return Optional.empty();
    }
    OPTRecord opt = q.getOPT();
    boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    queries.add(new Query(question.getName(), question.getType(), overTcp, opt == null ? 0 : opt.getPayloadSize(),
        dnssecOk));
    if (silent) {
      return Optional.empty();
    }
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    if (q.getHeader().getFlag(Flags.RD)) {
      r.getHeader().setFlag(Flags.RD);
    }
    r.addRecord(question, Section.QUESTION);
    if (opt != null) {
      r.addRecord(new OPTRecord(maxUdp, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    Optional<TestZone> zone = zoneFor(question.getName());
    if (zone.isEmpty()) {
      r.getHeader().setRcode(Rcode.REFUSED);
      return Optional.of(r);
    }
    r.getHeader().setFlag(Flags.AA);
    TestZone z = zone.get();
    Name qname = question.getName();
    Map<Integer, RRset> atName = z.data().get(qname);
    RRset set = atName == null ? null : atName.get(question.getType());
    if (set != null) {
      add(r, set, Section.ANSWER, dnssecOk);
      return Optional.of(r);
    }
    boolean nxdomain = !z.exists(qname);
    if (nxdomain) {
      r.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    add(r, z.soa(), Section.AUTHORITY, dnssecOk);
    if (dnssecOk && z.isSigned()) {
      // RFC 4035 section 3.1.3: prove the name (or the type) and any wildcard do not exist
      z.nsecCovering(qname).ifPresent(n -> add(r, n, Section.AUTHORITY, true));
      if (nxdomain) {
        z.nsecCovering(z.wildcardFor(qname)).ifPresent(n -> {
          if (!r.findRRset(n.getName(), Type.NSEC, Section.AUTHORITY)) {
            add(r, n, Section.AUTHORITY, true);
          }
        });
      }
    }
    return Optional.of(r);
  }

  private static void add(Message r, RRset set, int section, boolean withSignatures) {
    set.rrs().forEach(rec -> r.addRecord(rec, section));
    if (withSignatures) {
      set.sigs().forEach(sig -> r.addRecord(sig, section));
    }
  }

  private Optional<TestZone> zoneFor(Name qname) {
    TestZone best = null;
    for (TestZone z : zones.values()) {
      if (qname.subdomain(z.origin()) && (best == null || z.origin().labels() > best.origin().labels())) {
        best = z;
      }
    }
    return Optional.ofNullable(best);
  }
}
