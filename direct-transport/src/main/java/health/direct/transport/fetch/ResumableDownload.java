package health.direct.transport.fetch;

import health.direct.core.io.SecureFiles;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.protocol.BODY;

/**
 * Downloads a large IMAP message in ranges ({@code BODY.PEEK[]<offset.length>}, RFC 3501 6.4.5)
 * into a file kept under {@code work/partial/}, named by the message's source (account, folder,
 * UIDVALIDITY and UID, which together never name other bytes). An interrupted download (a dropped
 * connection, a killed process) is therefore continued where it stopped by the next fetch, not
 * started again. The download ends when the server sends less than was asked, so a server whose
 * RFC822.SIZE is wrong still gives the whole message. A partial file nobody continued for a week
 * is removed.
 *
 * <pre>{@code
 * ResumableDownload d = new ResumableDownload(work);
 * Path whole = d.download(imapFolder, message, source, (bytes) -> progress(bytes));
 * }</pre>
 */
final class ResumableDownload {
  /** What one range asks for: large enough to keep the connection busy, small enough to lose little. */
  static final int RANGE = 1 << 20;
  private static final Duration ABANDONED = Duration.ofDays(7);

  private final Path dir;

  ResumableDownload(Path work) {
    this.dir = work.resolve("partial");
  }

  /** Removes partial downloads nobody continued for a week. */
  void sweep() {
    SecureFiles.sweepLeftovers(dir, Optional.of(ABANDONED));
  }

  /** The file where the download of {@code source} is kept. */
  Path fileFor(String source) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(h, 0, 16) + ".eml");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** Bytes already kept for {@code source}. */
  long have(String source) throws IOException {
    Path f = fileFor(source);
    return Files.exists(f) ? Files.size(f) : 0;
  }

  /**
   * Continues (or starts) the download of {@code m} and returns the file holding all of it. On an
   * exception what arrived so far stays for the next fetch.
   */
  Path download(IMAPFolder folder, IMAPMessage m, String source, java.util.function.LongConsumer progress)
      throws IOException, MessagingException {
    SecureFiles.privateDirectory(dir);
    Path file = SecureFiles.privateFile(fileFor(source));
    int number = m.getMessageNumber();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      long have = ch.size();
      progress.accept(have);
      long sinceSync = 0;
      while (true) {
        final int from = Math.toIntExact(have);
        ByteArray got = (ByteArray) folder.doCommand(p -> {
          BODY b = p.peekBody(number, "", from, RANGE);
          return b == null ? null : b.getByteArray();
        });
        int n = got == null ? 0 : got.getCount();
        if (n > 0) {
          ByteBuffer buf = ByteBuffer.wrap(got.getBytes(), got.getStart(), n);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          have += n;
          sinceSync += n;
          progress.accept(have);
        }
        if (sinceSync >= 16L << 20) {
          ch.force(false); // what is on disk is what a resumed download may rely on
          sinceSync = 0;
        }
        if (n < RANGE) {
          break;
        }
      }
      ch.force(false);
    }
    return file;
  }

  /** Forgets the download of {@code source}, once stored or found to be the wrong message. */
  void discard(String source) {
    SecureFiles.deleteQuietly(fileFor(source));
  }
}
