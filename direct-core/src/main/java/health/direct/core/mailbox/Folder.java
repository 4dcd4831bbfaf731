package health.direct.core.mailbox;

/** The local folders: trusted mail, mail that failed security or trust, what we sent, and delivery notifications. */
public enum Folder {
  INBOX("inbox"), QUARANTINE("quarantine"), SENT("sent"), RECEIPTS("receipts");

  private final String dirName;

  Folder(String dirName) {
    this.dirName = dirName;
  }

  public String dirName() {
    return dirName;
  }
}
