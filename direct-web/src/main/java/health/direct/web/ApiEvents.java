package health.direct.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.app.mail.MailFolders;
import health.direct.app.status.SentMessages;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.StoredMessage;
import health.direct.core.outbox.OutboxEntry;
import io.javalin.http.sse.SseClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The API's event stream ({@code GET /api/v1/events}, server-sent events): {@code message} when a
 * message is filed in the inbox, quarantine or receipts, {@code status} when a sent message's
 * recipient moves on (delivered, processed, dispatched, failed). While anyone listens, the mailbox
 * and outbox are looked at once a second and what changed is sent to every listener; a comment
 * every 15 seconds keeps proxies from closing a quiet stream.
 */
final class ApiEvents implements AutoCloseable {
  private static final List<Folder> WATCHED = List.of(Folder.INBOX, Folder.QUARANTINE, Folder.RECEIPTS);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiAccess access;
  private final CopyOnWriteArrayList<SseClient> clients = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "direct-api-events");
    t.setDaemon(true);
    return t;
  });
  private Map<Folder, Long> newest = Map.of();
  private Map<String, String> outcomes = Map.of();
  private int ticks;

  ApiEvents(ApiAccess access) {
    this.access = access;
    ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** A new listener: it hears what changes from now on. */
  void join(SseClient client) {
    synchronized (this) {
      if (clients.isEmpty()) {
        newest = newest();
        outcomes = outcomes();
      }
    }
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    client.sendComment("listening: message and status events follow");
  }

  private synchronized void tick() {
    if (clients.isEmpty()) {
      return;
    }
    try {
      Map<Folder, Long> nowNewest = new HashMap<>();
      for (Folder f : WATCHED) {
        long before = newest.getOrDefault(f, 0L);
        nowNewest.put(f, before);
        // the newest few hundred are enough for one second's arrivals, without reading the whole folder
        for (StoredMessage m : new MailFolders(access.mailbox()).page(f, true, 1, 500).messages()) {
          nowNewest.merge(f, m.number(), Math::max);
          if (m.number() > before) {
            ObjectNode n = JSON.createObjectNode().put("folder", f.dirName()).put("number", m.number())
                .put("verdict", Badges.label(m.summary().verdict()))
                .put("href", "/api/v1/folders/" + f.dirName() + "/messages/" + m.number());
            send("message", n.toString());
          }
        }
      }
      newest = nowNewest;
      Map<String, String> nowOutcomes = outcomes();
      nowOutcomes.forEach((key, outcome) -> {
        if (!outcome.equals(outcomes.get(key))) {
          String[] k = key.split("\n", 2);
          send("status", JSON.createObjectNode().put("messageId", k[0]).put("address", k[1]).put("outcome", outcome)
              .put("href", "/api/v1/sent/" + k[0].replaceAll("^<|>$", "")).toString());
        }
      });
      outcomes = nowOutcomes;
      if (++ticks % 15 == 0) {
        clients.forEach(c -> c.sendComment("still here"));
      }
    } catch (RuntimeException e) {
      // a store busy or a file moving under us: the next tick looks again
    }
  }

  private void send(String event, String data) {
    for (SseClient c : clients) {
      if (c.terminated()) {
        clients.remove(c);
      } else {
        c.sendEvent(event, data);
      }
    }
  }

  private Map<Folder, Long> newest() {
    Map<Folder, Long> out = new HashMap<>();
    for (Folder f : WATCHED) {
      out.put(f, new MailFolders(access.mailbox()).page(f, true, 1, 1).messages().stream()
          .mapToLong(StoredMessage::number).max().orElse(0L));
    }
    return out;
  }

  private Map<String, String> outcomes() {
    Map<String, String> out = new HashMap<>();
    for (SentMessages.Sent s : new SentMessages(access.session().outbox(), access.mailbox()).list(false)) {
      for (OutboxEntry.RecipientState r : s.entry().recipients()) {
        out.put(s.entry().messageId() + "\n" + r.address(), r.outcome());
      }
    }
    return out;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    clients.forEach(SseClient::close);
  }
}
