package health.direct.core.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.direct.core.Fixture;
import health.direct.core.address.DirectAddress;
import health.direct.core.notifications.Notifications;
import health.direct.core.incoming.Receiver;
import health.direct.core.compose.Draft;
import health.direct.core.compose.MessageComposer;
import health.direct.core.mailbox.Folder;
import health.direct.core.mailbox.Mailbox;
import health.direct.core.outbox.DeliveryOutcome;
import health.direct.core.outbox.Outbox;
import health.direct.core.outbox.OutboxEntry;
import health.direct.core.outbox.ReceiptPolicy;
import health.direct.core.outbox.RetryPolicy;
import health.direct.testkit.LeafSpec;
import health.direct.testkit.TestIdentity;
import health.direct.testkit.TestPki;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery notifications (DN-01..DN-12): what is sent, what is tracked, and when nothing is. */
class NotificationsTest {
  static final DirectAddress ALICE = DirectAddress.parse("alice@hospital.example");
  static final DirectAddress BOB = DirectAddress.parse("bob@clinic.example");
  static final DirectAddress CAROL = DirectAddress.parse("carol@clinic.example");
  @AutoClose
  static final TestPki pki = TestPki.start(Clock.systemUTC());
  static final TestIdentity alice = pki.issue(LeafSpec.address(ALICE.toString()));
  static final TestIdentity bob = pki.issue(LeafSpec.address(BOB.toString()));

  @TempDir
  Path dir;

  /** A clock the test moves. */
  static final class Hands extends Clock {
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  // --- the notification itself -------------------------------------------------------------

  @Test
  void anMdnWeWriteReadsBackWithEveryRequiredField() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new MdnComposer(Clock.systemUTC(), "direct test").compose(Disposition.DISPATCHED, BOB, ALICE, "<m1@hospital.example>",
        true, null, out);
    String text = out.toString(StandardCharsets.US_ASCII);
    Path f = Files.write(dir.resolve("mdn.eml"), out.toByteArray());

    assertThat(text).contains("multipart/report").contains("report-type=disposition-notification")
        .contains("Auto-Submitted: auto-replied").doesNotContain("Disposition-Notification-To")
        .contains("Disposition: automatic-action/MDN-sent-automatically; dispatched")
        .contains("X-DIRECT-FINAL-DESTINATION-DELIVERY:").contains("Final-Recipient: rfc822; bob@clinic.example");
    Notification.Mdn mdn = (Notification.Mdn) NotificationParser.parse(f).orElseThrow();
    assertThat(mdn.originalMessageId()).isEqualTo("<m1@hospital.example>");
    assertThat(mdn.finalRecipient()).isEqualTo("bob@clinic.example");
    assertThat(mdn.disposition()).isEqualTo(Disposition.DISPATCHED);
    assertThat(mdn.finalDestinationDelivery()).isTrue();
  }

  @Test
  void mdnsFromOtherSoftwareAreReadLeniently() throws Exception {
    Path f = Files.writeString(dir.resolve("odd.eml"), "From: bob@clinic.example\r\nTo: alice@hospital.example\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: Multipart/Report; Report-Type=\"Disposition-Notification\"; "
        + "boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nok\r\n--b1\r\n"
        + "Content-Type: message/disposition-notification\r\n\r\nreporting-ua:  other ; v1\r\n"
        + "FINAL-RECIPIENT:rfc822;  <BOB@clinic.example>\r\noriginal-message-id:   <m2@hospital.example>\r\n"
        + "disposition:   automatic-action/MDN-sent-automatically;\r\n  Processed\r\n--b1--\r\n");

    Notification.Mdn mdn = (Notification.Mdn) NotificationParser.parse(f).orElseThrow();

    assertThat(mdn.disposition()).isEqualTo(Disposition.PROCESSED);
    assertThat(mdn.finalRecipient()).isEqualTo("bob@clinic.example");
    assertThat(mdn.originalMessageId()).isEqualTo("<m2@hospital.example>");
  }

  @Test
  void aDsnNamesTheOriginalMessageAndEachRecipientsFate() throws Exception {
    Path f = Files.writeString(dir.resolve("dsn.eml"), "From: MAILER-DAEMON@mx.clinic.example\r\n"
        + "To: alice@hospital.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; "
        + "report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsorry\r\n"
        + "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.clinic.example\r\n\r\n"
        + "Final-Recipient: rfc822; carol@clinic.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        + "Diagnostic-Code: smtp; 550 no such user\r\n\r\nFinal-Recipient: rfc822; bob@clinic.example\r\n"
        + "Action: delivered\r\nStatus: 2.0.0\r\n\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        + "Message-ID: <m3@hospital.example>\r\nFrom: alice@hospital.example\r\n\r\n--b--\r\n");

    Notification.Dsn dsn = (Notification.Dsn) NotificationParser.parse(f).orElseThrow();

    assertThat(dsn.originalMessageId()).isEqualTo("<m3@hospital.example>");
    assertThat(dsn.recipients()).extracting(Notification.DsnRecipient::address, Notification.DsnRecipient::failed)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("carol@clinic.example", true),
            org.assertj.core.groups.Tuple.tuple("bob@clinic.example", false));
  }

  @Test
  void timelyAndReliableIsReadLenientlyAndAMalformedRequestCountsAsNone() throws Exception {
    assertThat(request("X-DIRECT-FINAL-DESTINATION-DELIVERY=optional,true").timelyAndReliable()).isTrue();
    assertThat(request(" x-direct-final-destination-delivery = Optional , TRUE ").timelyAndReliable()).isTrue();
    assertThat(request("X-DIRECT-FINAL-DESTINATION-DELIVERY=optional").timelyAndReliable()).isFalse();
    assertThat(request("X-DIRECT-FINAL-DESTINATION-DELIVERY").timelyAndReliable()).isFalse();
    assertThat(request("garbage;;==").timelyAndReliable()).isFalse();
  }

  private static NotificationRequest request(String options) throws Exception {
    return NotificationRequest.of(new InternetHeaders(new ByteArrayInputStream(
        ("Disposition-Notification-Options: " + options + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII))));
  }

  // --- tracking on the sending side ----------------------------------------------------------

  private Outbox delivered(Hands clock, OutboxEntry.Expectation expectation, DirectAddress... to) throws Exception {
    Outbox box = new Outbox(dir.resolve("outbox"), clock, RetryPolicy.defaults(),
        new ReceiptPolicy(Duration.ofMinutes(60), Duration.ofMinutes(120)));
    OutboxEntry e = box.enqueue(Files.writeString(dir.resolve("s.eml"), "x"), "<m@hospital.example>", ALICE,
        List.of(to), expectation);
    for (DirectAddress a : to) {
      box.record(e.id(), a, new DeliveryOutcome.Delivered("mx: 250 ok"));
    }
    return box;
  }

  private static OutboxEntry.RecipientState state(Outbox box, DirectAddress a) {
    return box.list().get(0).recipients().stream().filter(r -> r.address().sameMailbox(a)).findFirst().orElseThrow();
  }

  @Test
  void processedThenDispatchedSettlesAsDispatched() throws Exception {
    Hands clock = new Hands();
    Outbox box = delivered(clock, OutboxEntry.Expectation.DISPATCHED, BOB);

    box.recordNotification("<m@hospital.example>", BOB, "processed", Optional.of(Disposition.PROCESSED), true);
    assertThat(state(box, BOB).outcome()).isEqualTo("processed, awaiting dispatched");
    box.recordNotification("<m@hospital.example>", BOB, "dispatched", Optional.of(Disposition.DISPATCHED), true);

    assertThat(state(box, BOB).outcome()).isEqualTo("dispatched");
    assertThat(state(box, BOB).settled()).isTrue();
  }

  @Test
  void withoutTimelyAndReliableAProcessedMdnIsTheFinalOutcome() throws Exception {
    Outbox box = delivered(new Hands(), OutboxEntry.Expectation.PROCESSED, BOB);

    box.recordNotification("<m@hospital.example>", BOB, "processed", Optional.of(Disposition.PROCESSED), true);

    assertThat(state(box, BOB).outcome()).isEqualTo("processed");
  }

  @Test
  @Tag("risk5")
  void noProcessedMdnWithinTheTimeOutIsAFailureAndALateOneChangesNothing() throws Exception {
    Hands clock = new Hands();
    Outbox box = delivered(clock, OutboxEntry.Expectation.DISPATCHED, BOB);

    clock.now = clock.now.plus(Duration.ofMinutes(59));
    assertThat(box.expireReceipts()).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    List<Outbox.TimedOut> timedOut = box.expireReceipts();
    boolean changed = box.recordNotification("<m@hospital.example>", BOB, "dispatched MDN",
        Optional.of(Disposition.DISPATCHED), true);

    assertThat(timedOut).singleElement().satisfies(t -> assertThat(t.reason()).contains("no processed notification"));
    assertThat(changed).isFalse();
    assertThat(state(box, BOB).outcome()).isEqualTo("failed (no notification in time)");
    assertThat(state(box, BOB).timeline()).last().satisfies(ev -> assertThat(ev.what()).contains("late"));
    assertThat(box.expireReceipts()).as("reported once").isEmpty();
  }

  @Test
  void twoRecipientsTimingOutInTheSameRoundAreBothRecorded() throws Exception {
    Hands clock = new Hands();
    Outbox box = delivered(clock, OutboxEntry.Expectation.PROCESSED, BOB, CAROL);
    clock.now = clock.now.plus(Duration.ofMinutes(61));

    assertThat(box.expireReceipts()).hasSize(2);
    assertThat(state(box, BOB).outcome()).isEqualTo("failed (no notification in time)");
    assertThat(state(box, CAROL).outcome()).isEqualTo("failed (no notification in time)");
  }

  @Test
  @Tag("risk5")
  void aDispatchedMdnThatNeverComesTimesOutOnItsOwnClock() throws Exception {
    Hands clock = new Hands();
    Outbox box = delivered(clock, OutboxEntry.Expectation.DISPATCHED, BOB);
    clock.now = clock.now.plus(Duration.ofMinutes(30));
    box.recordNotification("<m@hospital.example>", BOB, "processed", Optional.of(Disposition.PROCESSED), true);

    clock.now = clock.now.plus(Duration.ofMinutes(119));
    assertThat(box.expireReceipts()).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(2));

    assertThat(box.expireReceipts()).singleElement()
        .satisfies(t -> assertThat(t.reason()).contains("no dispatched notification"));
  }

  @Test
  void anUntrustedMdnIsRecordedButProvesNothing() throws Exception {
    Outbox box = delivered(new Hands(), OutboxEntry.Expectation.PROCESSED, BOB);

    boolean changed = box.recordNotification("<m@hospital.example>", BOB, "processed MDN",
        Optional.of(Disposition.PROCESSED), false);

    assertThat(changed).isFalse();
    assertThat(state(box, BOB).outcome()).isEqualTo("sent, awaiting processed");
    assertThat(state(box, BOB).timeline()).last().satisfies(ev -> assertThat(ev.what()).contains("not counted"));
  }

  @Test
  void aDsnFailsOnlyTheRecipientItNames() throws Exception {
    Outbox box = delivered(new Hands(), OutboxEntry.Expectation.PROCESSED, BOB, CAROL);

    box.recordNotification("<m@hospital.example>", CAROL, "DSN failed 5.1.1", Optional.of(Disposition.FAILED), true);

    assertThat(state(box, CAROL).outcome()).isEqualTo("failed");
    assertThat(state(box, BOB).outcome()).isEqualTo("sent, awaiting processed");
  }

  // --- the receiving side ------------------------------------------------------------------

  private record Run(List<Path> queued, Mailbox box, Receiver receiver) {}

  /** Bob's receiving side: notifications go to {@code queued} instead of the network. */
  private Run bobReceives() {
    return bobReceives(false);
  }

  /** Thrown where the process would die: nothing after it runs. */
  private static final class Killed extends RuntimeException {
    Killed() {
      super("killed");
    }
  }

  /** As {@link #bobReceives()}; with {@code killedWhileAnswering} the process "dies" as it queues an answer. */
  private Run bobReceives(boolean killedWhileAnswering) {
    List<Path> queued = new ArrayList<>();
    Path work = dir.resolve("work");
    Mailbox box = Mailbox.open(dir.resolve("mail"), Clock.systemUTC());
    Outbox outbox = new Outbox(dir.resolve("bob-outbox"), Clock.systemUTC(), RetryPolicy.defaults());
    Notifications n = new Notifications(outbox, plain -> {
      if (killedWhileAnswering) {
        throw new Killed();
      }
      try {
        queued.add(Files.copy(plain, dir.resolve("queued-" + queued.size() + ".eml")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, Clock.systemUTC(), "test", work, line -> { });
    Fixture fx = new Fixture(pki);
    return new Run(queued, box, new Receiver(fx.receiver(work, bob), box, work, Optional.of(n), Optional.of(BOB)));
  }

  private Path sealedFromAlice(String extraHeaders, String body) throws Exception {
    return sealedBy(alice, extraHeaders, body);
  }

  private Path sealedBy(TestIdentity signer, String extraHeaders, String body) throws Exception {
    return sealedBy(signer, "<orig-" + System.nanoTime() + "@hospital.example>", extraHeaders, body);
  }

  private Path sealedBy(TestIdentity signer, String messageId, String extraHeaders, String body) throws Exception {
    Fixture fx = new Fixture(pki);
    fx.publish(BOB.toString(), bob.certificate());
    Path plain = Files.writeString(dir.resolve("plain-" + System.nanoTime() + ".eml"), "From: alice@hospital.example\r\n"
        + "To: bob@clinic.example\r\nSubject: s\r\nMessage-ID: " + messageId + "\r\n"
        + "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n" + extraHeaders + "\r\n" + body);
    Path sealed = dir.resolve("sealed-" + System.nanoTime() + ".eml");
    try (OutputStream out = Files.newOutputStream(sealed)) {
      fx.sender(signer).seal(plain, out);
    }
    return sealed;
  }

  @Test
  void aTrustedMessageAskingForTimelyAndReliableGetsProcessedThenDispatched() throws Exception {
    Run run = bobReceives();
    Path sealed = sealedFromAlice("Disposition-Notification-To: alice@hospital.example\r\n"
        + "Disposition-Notification-Options: X-DIRECT-FINAL-DESTINATION-DELIVERY=optional,true\r\n", "hello\r\n");

    run.receiver().receive("src-1", sealed);

    assertThat(run.queued()).hasSize(2);
    assertThat(run.queued().stream().map(p -> ((Notification.Mdn) NotificationParser.parse(p).orElseThrow())
        .disposition()).toList()).containsExactly(Disposition.PROCESSED, Disposition.DISPATCHED);
    assertThat(run.box().list(Folder.INBOX)).hasSize(1);
    run.box().close();
  }

  @Test
  void aMessageStoredByAProcessKilledBeforeItAnsweredIsAnsweredByTheNextOnceAndOnlyOnce() throws Exception {
    Run dying = bobReceives(true);
    Path sealed = sealedFromAlice("Disposition-Notification-To: alice@hospital.example\r\n", "hello\r\n");
    assertThatThrownBy(() -> dying.receiver().receive("src-1", sealed)).isInstanceOf(Killed.class);
    assertThat(dying.box().list(Folder.INBOX)).hasSize(1);
    dying.box().close();

    Run next = bobReceives();
    assertThat(next.receiver().contains("src-1")).as("stored, so never fetched again").isTrue();
    int finished = next.receiver().settleOwed();
    int again = next.receiver().settleOwed();

    assertThat(finished).isEqualTo(1);
    assertThat(again).isZero();
    assertThat(next.queued()).singleElement().satisfies(p -> assertThat(
        ((Notification.Mdn) NotificationParser.parse(p).orElseThrow()).disposition()).isEqualTo(Disposition.PROCESSED));
    next.box().close();
  }

  @Test
  void aMessageStoredAndAnsweredLeavesNothingOwed() throws Exception {
    Run run = bobReceives();
    run.receiver().receive("src-1", sealedFromAlice("", "hello\r\n"));

    assertThat(run.queued()).hasSize(1);
    assertThat(run.box().owed()).isEmpty();
    assertThat(run.receiver().settleOwed()).isZero();
    run.box().close();
  }

  @Test
  void aSecondCopyOfAMessageIsAnsweredAgainButStoredOnce() throws Exception {
    // the sender lost the server's reply to "." and sent the same message again (RFC 1047); it was sealed anew
    Run run = bobReceives();
    String request = "Disposition-Notification-To: alice@hospital.example\r\n"
        + "Disposition-Notification-Options: X-DIRECT-FINAL-DESTINATION-DELIVERY=optional,true\r\n";
    Path first = sealedBy(alice, "<again@hospital.example>", request, "hello\r\n");
    Path second = sealedBy(alice, "<again@hospital.example>", request, "hello\r\n");
    assertThat(Files.mismatch(first, second)).as("two different encryptions").isNotEqualTo(-1L);

    Receiver.Received one = run.receiver().receive("src-1", first);
    Receiver.Received two = run.receiver().receive("src-2", second);

    assertThat(run.box().list(Folder.INBOX)).hasSize(1);
    assertThat(two.stored().id()).isEqualTo(one.stored().id());
    assertThat(two.stored().summary().verdict()).isEqualTo("duplicate");
    assertThat(run.box().contains("src-2")).as("a re-fetch skips the second copy").isTrue();
    assertThat(run.queued().stream().map(p -> ((Notification.Mdn) NotificationParser.parse(p).orElseThrow())
        .disposition()).toList())
        .containsExactly(Disposition.PROCESSED, Disposition.DISPATCHED, Disposition.PROCESSED, Disposition.DISPATCHED);
    run.box().close();
  }

  @Test
  void aDifferentMessageReusingAMessageIdIsStillStored() throws Exception {
    Run run = bobReceives();
    run.receiver().receive("src-1", sealedBy(alice, "<reused@hospital.example>", "", "first\r\n"));
    run.receiver().receive("src-2", sealedBy(alice, "<reused@hospital.example>", "", "second\r\n"));

    assertThat(run.box().list(Folder.INBOX)).hasSize(2);
    run.box().close();
  }

  @Test
  void aTrustedMessageThatCannotBePutInTheInboxIsAnsweredWithAFailedMdn() throws Exception {
    Run run = bobReceives();
    Path sealed = sealedFromAlice("Disposition-Notification-Options: X-DIRECT-FINAL-DESTINATION-DELIVERY=optional,true\r\n",
        "hello\r\n");
    run.box().close(); // the mailbox's index is gone: the message cannot be delivered to the user

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> run.receiver().receive("src-7", sealed))
        .isInstanceOf(health.direct.core.store.StoreException.class);

    assertThat(run.queued()).singleElement().satisfies(p -> {
      Notification.Mdn mdn = (Notification.Mdn) NotificationParser.parse(p).orElseThrow();
      assertThat(mdn.disposition()).isEqualTo(Disposition.FAILED);
      assertThat(Files.readString(p)).contains("Disposition: automatic-action/MDN-sent-automatically; failed");
    });
  }

  @Test
  void aMailServersDsnArrivingByFetchFailsOnlyTheRecipientItNamesAndIsNeverAnswered() throws Exception {
    Run run = bobReceives();
    // Bob's own earlier message to two people, accepted by the mail server, awaiting notifications
    Outbox bobs = new Outbox(dir.resolve("bob-outbox"), Clock.systemUTC(), RetryPolicy.defaults());
    OutboxEntry e = bobs.enqueue(Files.writeString(dir.resolve("bob-sealed.eml"), "x"), "<m3@clinic.example>", BOB,
        List.of(ALICE, CAROL));
    bobs.record(e.id(), ALICE, new DeliveryOutcome.Delivered("mx: 250"));
    bobs.record(e.id(), CAROL, new DeliveryOutcome.Delivered("mx: 250"));
    Path dsn = Files.writeString(dir.resolve("dsn-in.eml"), "From: MAILER-DAEMON@mx.clinic.example\r\n"
        + "To: bob@clinic.example\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; "
        + "report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsorry\r\n"
        + "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.clinic.example\r\n\r\n"
        + "Final-Recipient: rfc822; carol@clinic.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        + "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <m3@clinic.example>\r\n\r\n--b--\r\n");

    run.receiver().receive("src-dsn", dsn);

    assertThat(run.queued()).as("a DSN is never answered (DN-10)").isEmpty();
    assertThat(run.box().list(Folder.RECEIPTS)).hasSize(1);
    assertThat(bobs.find(e.id()).orElseThrow().recipients()).extracting(OutboxEntry.RecipientState::outcome)
        .containsExactly("sent, awaiting processed", "failed");
    run.box().close();
  }

  @Test
  void aMalformedRequestGetsOnlyTheProcessedMdn() throws Exception {
    Run run = bobReceives();
    Path sealed = sealedFromAlice("Disposition-Notification-Options: X-DIRECT-FINAL-DESTINATION-DELIVERY=true\r\n",
        "hello\r\n");

    run.receiver().receive("src-2", sealed);

    assertThat(run.queued()).singleElement().satisfies(p -> assertThat(
        ((Notification.Mdn) NotificationParser.parse(p).orElseThrow()).disposition()).isEqualTo(Disposition.PROCESSED));
    run.box().close();
  }

  @Test
  void anMdnIsNeverAnsweredAndGoesToTheReceiptsOnceHoweverOftenItComes() throws Exception {
    Run run = bobReceives();
    ByteArrayOutputStream mdn = new ByteArrayOutputStream();
    new MdnComposer(Clock.systemUTC(), "x").compose(Disposition.PROCESSED, ALICE, BOB, "<bobs@clinic.example>", false,
        null, mdn);
    String text = mdn.toString(StandardCharsets.US_ASCII);
    int split = text.indexOf("\r\n\r\n");
    Path sealed = sealedFromAlice(text.substring(0, split).lines()
        .filter(l -> !l.startsWith("From:") && !l.startsWith("To:") && !l.startsWith("Subject:")
            && !l.startsWith("Message-ID:"))
        .reduce("", (a, b) -> a + b + "\r\n"), text.substring(split + 4));

    run.receiver().receive("src-3", sealed);
    // the same notification again, as a sender resends what it never learnt our server took
    Receiver.Received again = run.receiver().receive("src-4", sealed);

    assertThat(run.queued()).isEmpty();
    assertThat(run.box().list(Folder.RECEIPTS)).hasSize(1);
    assertThat(again.stored().summary().verdict()).isEqualTo("duplicate");
    assertThat(run.box().contains("src-4")).as("a re-fetch skips the second copy").isTrue();
    assertThat(run.box().list(Folder.INBOX)).isEmpty();
    run.box().close();
  }

  @Test
  @Tag("risk8")
  void anUnsecuredOrUntrustedMessageGetsNoMdn() throws Exception {
    Run run = bobReceives();
    Path plain = Files.writeString(dir.resolve("plain.eml"), "From: alice@hospital.example\r\nTo: bob@clinic.example\r\n"
        + "Subject: s\r\nMessage-ID: <p@h>\r\nDisposition-Notification-To: alice@hospital.example\r\n\r\nhi\r\n");

    run.receiver().receive("src-4", plain);

    assertThat(run.queued()).isEmpty();
    assertThat(run.box().list(Folder.QUARANTINE)).hasSize(1);
    run.box().close();
  }

  @Test
  @Tag("risk8")
  void aMessageSignedUnderAnUnknownCaGetsNoMdn() throws Exception {
    try (TestPki stranger = TestPki.start(Clock.systemUTC())) {
      Run run = bobReceives();
      Path sealed = sealedBy(stranger.issue(LeafSpec.address(ALICE.toString())),
          "Disposition-Notification-To: alice@hospital.example\r\n", "hello\r\n");

      run.receiver().receive("src-6", sealed);

      assertThat(run.queued()).isEmpty();
      assertThat(run.box().list(Folder.QUARANTINE)).singleElement()
          .satisfies(m -> assertThat(m.summary().verdict()).isEqualTo("untrusted"));
      run.box().close();
    }
  }

  @Test
  void anAutomaticallySentMessageIsNotAnswered() throws Exception {
    Run run = bobReceives();
    Path sealed = sealedFromAlice("Auto-Submitted: auto-generated\r\n", "hello\r\n");

    run.receiver().receive("src-5", sealed);

    assertThat(run.queued()).isEmpty();
    assertThat(run.box().list(Folder.INBOX)).hasSize(1);
    run.box().close();
  }

  @Test
  void composedMessagesAskForNotifications() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new MessageComposer(Clock.systemUTC()).compose(new Draft(ALICE, List.of(BOB), List.of(), "s", "b", List.of()), out);
    assertThat(out.toString(StandardCharsets.US_ASCII)).contains("Disposition-Notification-To: alice@hospital.example")
        .contains("Disposition-Notification-Options: X-DIRECT-FINAL-DESTINATION-DELIVERY=optional,true");
  }
}
