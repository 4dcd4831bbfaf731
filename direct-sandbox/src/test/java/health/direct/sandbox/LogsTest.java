package health.direct.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Patient data never reaches the logs: a whole conversation runs with every logger of the client
 * side at its most verbose level (SLF4J/Logback TRACE, java.util.logging FINEST, which is where
 * Jakarta Mail traces protocols), and the logs are searched for the subject, the body, the
 * attachment's name and content, and key material. The in-process test servers' own loggers are
 * left out: in real use they are other people's servers.
 */
class LogsTest {
  private static final List<String> SERVERS = List.of("com.icegreen", "org.subethamail", "com.unboundid.ldap.listener");

  @TempDir
  Path dir;

  @Test
  @Tag("risk4")
  @Tag("risk6")
  void noSubjectBodyAttachmentOrKeyAppearsInTheLogsAtTheMostVerboseLevel() throws Exception {
    ByteArrayOutputStream logback = new ByteArrayOutputStream();
    StringBuilder jul = new StringBuilder();
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern("%logger %msg%n");
    enc.start();
    OutputStreamAppender<ILoggingEvent> app = new OutputStreamAppender<>() {
      @Override
      protected void append(ILoggingEvent e) {
        if (SERVERS.stream().noneMatch(e.getLoggerName()::startsWith)) {
          super.append(e);
        }
      }
    };
    app.setContext(ctx);
    app.setEncoder(enc);
    app.setOutputStream(logback);
    app.start();
    root.addAppender(app);
    root.setLevel(Level.TRACE);
    java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    java.util.logging.Level julBefore = julRoot.getLevel();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLoggerName() == null || SERVERS.stream().noneMatch(r.getLoggerName()::startsWith)) {
          jul.append(r.getLoggerName()).append(' ').append(String.valueOf(r.getMessage())).append('\n');
          if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
              jul.append(String.valueOf(p)).append('\n');
            }
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    h.setLevel(java.util.logging.Level.ALL);
    julRoot.addHandler(h);
    julRoot.setLevel(java.util.logging.Level.ALL);
    List<Conversation.Arc> arcs;
    try (Sandbox s = Sandbox.start(dir.resolve("s"), Clock.systemUTC())) {
      arcs = new Conversation(s, new PrintWriter(Writer.nullWriter())).run();
    } finally {
      root.detachAppender(app);
      root.setLevel(before);
      julRoot.removeHandler(h);
      julRoot.setLevel(julBefore);
    }

    assertThat(arcs).hasSize(8).allMatch(Conversation.Arc::ok);
    String logs = logback.toString(StandardCharsets.UTF_8) + "\n" + jul;
    assertThat(logs.length()).as("something was logged, so the search means something").isGreaterThan(1000);
    assertThat(logs).doesNotContain("chest pain").doesNotContain("Please see the attached referral")
        .doesNotContain("referral-note-ccda").doesNotContain("Exertional chest discomfort")
        .doesNotContain("PRIVATE KEY").doesNotContain("store-password");
  }
}
