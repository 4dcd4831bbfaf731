package health.direct.transport.smtp;

import health.direct.transport.tls.Dane;
import health.direct.transport.dns.DnsClient;
import health.direct.transport.dns.DnsAnswer;
import health.direct.core.resolve.DnssecStatus;
import org.xbill.DNS.TLSARecord;
import health.direct.core.address.DirectAddress;
import health.direct.core.outbox.DeliveryOutcome;
import health.direct.transport.net.HostResolver;
import health.direct.transport.tls.TlsTrust;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Hands a sealed message to the recipients' mail servers (arcs 3 and 4; AS-13): per domain the MX
 * hosts in order (or the smart host), STARTTLS by policy with the certificate and host name
 * checked, and one outcome per recipient: accepted, try again later (4xx, no connection), or
 * failed for good (5xx, null MX). The message file is streamed as it is, byte for byte.
 *
 * <pre>{@code
 * Map<DirectAddress, DeliveryOutcome> r = delivery.deliver(sealed, alice, List.of(bob, carol));
 * }</pre>
 */
public final class SmtpDelivery {
  private final SmtpSettings settings;
  private final MxResolver mx;
  private final HostResolver hosts;
  private final TlsTrust tls;
  private final java.util.Optional<DnsClient> dane;

  /** Delivery without DANE. */
  public SmtpDelivery(SmtpSettings settings, MxResolver mx, HostResolver hosts, TlsTrust tls) {
    this(settings, mx, hosts, tls, java.util.Optional.empty());
  }

  /**
   * Delivery that uses DANE (RFC 7672) through {@code dns} when an MX host's TLSA records come in
   * a DNSSEC-secure answer and its MX record set was secure too: then TLS is required and the
   * certificate is checked against the TLSA records; a bogus TLSA answer skips that host.
   */
  public SmtpDelivery(SmtpSettings settings, MxResolver mx, HostResolver hosts, TlsTrust tls,
      java.util.Optional<DnsClient> dane) {
    this.settings = settings;
    this.mx = mx;
    this.hosts = hosts;
    this.tls = tls;
    this.dane = dane;
  }

  /** A host that could not take the message at all (so the next one is tried). */
  private static final class HostFailure extends Exception {
    HostFailure(String message) {
      super(message);
    }
  }

  public Map<DirectAddress, DeliveryOutcome> deliver(Path message, DirectAddress envelopeFrom,
      List<DirectAddress> recipients) {
    return deliver(message, envelopeFrom, recipients, bytes -> { });
  }

  /** As {@link #deliver(Path, DirectAddress, List)}, telling {@code sent} about every mebibyte handed over. */
  public Map<DirectAddress, DeliveryOutcome> deliver(Path message, DirectAddress envelopeFrom,
      List<DirectAddress> recipients, java.util.function.LongConsumer sent) {
    Map<String, List<DirectAddress>> byDomain = new LinkedHashMap<>();
    for (DirectAddress r : recipients) {
      byDomain.computeIfAbsent(settings.smartHost().isPresent() ? "" : r.domain(), k -> new ArrayList<>()).add(r);
    }
    Map<DirectAddress, DeliveryOutcome> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<DirectAddress>> group : byDomain.entrySet()) {
      out.putAll(deliverToDomain(message, envelopeFrom, group.getKey(), group.getValue(), sent));
    }
    return out;
  }

  private Map<DirectAddress, DeliveryOutcome> deliverToDomain(Path message, DirectAddress from, String domain,
      List<DirectAddress> rcpts, java.util.function.LongConsumer sent) {
    MxPlan plan;
    int port;
    if (settings.smartHost().isPresent()) {
      plan = new MxPlan.Hosts(domain, List.of(settings.smartHost().get()), false, DnssecStatus.NOT_DNS);
      port = settings.smartHostPort();
    } else {
      plan = mx.resolve(domain);
      port = settings.port();
    }
    if (plan instanceof MxPlan.NoMail n) {
      return all(rcpts, new DeliveryOutcome.Permanent(n.reason()));
    }
    if (plan instanceof MxPlan.Unknown u) {
      return all(rcpts, new DeliveryOutcome.Transient(u.reason()));
    }
    List<String> problems = new ArrayList<>();
    boolean mxSecure = dane.isPresent() && !((MxPlan.Hosts) plan).implicit()
        && ((MxPlan.Hosts) plan).dnssec() == DnssecStatus.SECURE;
    for (String host : ((MxPlan.Hosts) plan).hosts()) {
      Optional<Dane> hostDane = Optional.empty();
      if (mxSecure) {
        DnsAnswer t = dane.get().query("_" + port + "._tcp." + host, org.xbill.DNS.Type.TLSA);
        if (t.dnssec() == DnssecStatus.BOGUS) {
          problems.add(host + ": its TLSA answer failed DNSSEC validation; not used (RFC 7672)");
          continue;
        }
        if (t.dnssec() == DnssecStatus.SECURE && !t.records().isEmpty()) {
          Dane d = Dane.of(t.records().stream()
              .map(r -> (TLSARecord) r).map(r -> new Dane.Tlsa(
                  r.getCertificateUsage(), r.getSelector(), r.getMatchingType(), r.getCertificateAssociationData()))
              .toList());
          if (d.usable()) {
            hostDane = Optional.of(d);
          }
        }
      }
      List<InetAddress> ips;
      try {
        ips = hosts.resolve(host);
      } catch (UnknownHostException e) {
        problems.add(e.getMessage());
        continue;
      }
      for (InetAddress ip : ips) {
        try {
          return attempt(message, from, rcpts, host, ip, port, hostDane, sent);
        } catch (HostFailure f) {
          problems.add(f.getMessage());
        }
      }
    }
    return all(rcpts, new DeliveryOutcome.Transient("no mail server took the message: " + String.join("; ", problems)));
  }

  private Map<DirectAddress, DeliveryOutcome> attempt(Path message, DirectAddress from, List<DirectAddress> rcpts,
      String host, InetAddress ip, int port, Optional<Dane> hostDane, java.util.function.LongConsumer sent)
      throws HostFailure {
    String where = host + " [" + ip.getHostAddress() + "]:" + port + (hostDane.isPresent() ? " (DANE)" : "");
    Properties props = properties(host, from);
    if (hostDane.isPresent()) {
      // RFC 7672: with usable TLSA records, TLS is mandatory and the TLSA records decide the certificate
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", TlsTrust.daneSocketFactoryFor(host, hostDane.get()));
    }
    Session session = Session.getInstance(props);
    SMTPTransport t = null;
    try {
      t = (SMTPTransport) session.getTransport("smtp");
      t.connect(ip.getHostAddress(), port, null, null);
      if ((settings.startTls() == StartTlsPolicy.REQUIRED || hostDane.isPresent()) && !t.isSSL()) {
        throw new HostFailure(where + ": STARTTLS is required but the session is not encrypted");
      }
      // RFC 1870: a server that states its size limit is told nothing larger (it would refuse it
      // only after the whole message crossed the wire)
      Optional<Long> limit = sizeLimit(t);
      long size = java.nio.file.Files.size(message);
      if (limit.isPresent() && size > limit.get()) {
        return all(rcpts, new DeliveryOutcome.Permanent(where + ": the sealed message is " + size + " bytes and this "
            + "server takes at most " + limit.get() + " (SMTP SIZE): send smaller attachments, or split them"));
      }
      Address[] to = rcpts.stream().map(SmtpDelivery::internet).toArray(Address[]::new);
      try (SharedFileInputStream in = new SharedFileInputStream(message.toFile())) {
        t.sendMessage(counted(session, in, sent), to);
      }
      String reply = where + ": " + Optional.ofNullable(t.getLastServerResponse()).orElse("").trim();
      return all(rcpts, new DeliveryOutcome.Delivered(reply));
    } catch (SendFailedException e) {
      return perRecipient(e, rcpts, where);
    } catch (MessagingException e) {
      throw new HostFailure(where + ": " + describe(e));
    } catch (IOException e) {
      throw new HostFailure(where + ": cannot read the message: " + e.getMessage());
    } finally {
      if (t != null) {
        try {
          t.close();
        } catch (MessagingException ignored) {
          // the transaction is over either way
        }
      }
    }
  }

  /**
   * The message read from {@code in} (shared, so not copied into memory), telling {@code sent}
   * about every mebibyte of it written to the server.
   */
  private static MimeMessage counted(Session session, SharedFileInputStream in, java.util.function.LongConsumer sent)
      throws MessagingException {
    return new MimeMessage(session, in) {
      @Override
      public void writeTo(java.io.OutputStream os, String[] ignoreList) throws IOException, MessagingException {
        health.direct.core.io.CountingOutputStream counting = new health.direct.core.io.CountingOutputStream(os,
            1 << 20, sent);
        super.writeTo(counting, ignoreList);
        counting.flush();
        sent.accept(counting.count()); // the whole message is with the server
      }
    };
  }

  /** The server's SIZE limit from its EHLO answer, when it states one (0 means none). */
  private static Optional<Long> sizeLimit(SMTPTransport t) {
    String v = t.getExtensionParameter("SIZE");
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(v.trim());
      return n > 0 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Map<DirectAddress, DeliveryOutcome> perRecipient(SendFailedException e, List<DirectAddress> rcpts,
      String where) throws HostFailure {
    Map<String, DeliveryOutcome> byAddress = new LinkedHashMap<>();
    for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
      if (x instanceof SMTPAddressFailedException a) {
        String text = where + ": " + a.getReturnCode() + " " + a.getMessage().trim();
        byAddress.put(a.getAddress().getAddress().toLowerCase(Locale.ROOT), a.getReturnCode() >= 500
            ? new DeliveryOutcome.Permanent(text) : new DeliveryOutcome.Transient(text));
      }
    }
    int code = e instanceof SMTPSendFailedException s ? s.getReturnCode() : -1;
    if (byAddress.isEmpty() && code >= 400 && code < 500 && e.getValidSentAddresses() == null) {
      // refused before any recipient (MAIL FROM, a greylisting server): the next host may take it
      throw new HostFailure(where + ": " + code + " " + e.getMessage().trim());
    }
    Map<DirectAddress, DeliveryOutcome> out = new LinkedHashMap<>();
    List<String> sent = addresses(e.getValidSentAddresses());
    for (DirectAddress r : rcpts) {
      DeliveryOutcome o = byAddress.get(r.canonical());
      if (o == null && sent.contains(r.canonical())) {
        o = new DeliveryOutcome.Delivered(where + ": accepted");
      }
      if (o == null) {
        String text = where + ": " + (code > 0 ? code + " " : "") + e.getMessage().trim();
        o = code >= 500 ? new DeliveryOutcome.Permanent(text) : new DeliveryOutcome.Transient(text);
      }
      out.put(r, o);
    }
    return out;
  }

  private Properties properties(String host, DirectAddress from) {
    Properties p = new Properties();
    String ms = Long.toString(settings.timeout().toMillis());
    p.put("mail.smtp.connectiontimeout", ms);
    p.put("mail.smtp.timeout", ms);
    p.put("mail.smtp.writetimeout", ms);
    p.put("mail.smtp.from", from.toString());
    p.put("mail.smtp.localhost", settings.heloName().orElse(from.domain()));
    p.put("mail.smtp.sendpartial", "true");
    // the factory below checks the certificate against the MX name (we connect to an address)
    p.put("mail.smtp.ssl.checkserveridentity", "false");
    p.put("mail.smtp.ssl.socketFactory", tls.socketFactoryFor(host));
    p.put("mail.smtp.socketFactory.fallback", "false");
    p.put("mail.smtp.ssl.socketFactory.fallback", "false");
    switch (settings.startTls()) {
      case REQUIRED -> {
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
      }
      case OPPORTUNISTIC -> p.put("mail.smtp.starttls.enable", "true");
      case OFF -> p.put("mail.smtp.starttls.enable", "false");
    }
    return p;
  }

  private static String describe(MessagingException e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()).trim());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      b.append(": ").append(c.getClass().getSimpleName()).append(" ").append(String.valueOf(c.getMessage()).trim());
    }
    return b.toString();
  }

  private static List<String> addresses(Address[] a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      for (Address x : a) {
        out.add(((InternetAddress) x).getAddress().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static InternetAddress internet(DirectAddress a) {
    try {
      return new InternetAddress(a.toString(), true);
    } catch (jakarta.mail.internet.AddressException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map<DirectAddress, DeliveryOutcome> all(List<DirectAddress> rcpts, DeliveryOutcome o) {
    Map<DirectAddress, DeliveryOutcome> out = new LinkedHashMap<>();
    rcpts.forEach(r -> out.put(r, o));
    return out;
  }
}
