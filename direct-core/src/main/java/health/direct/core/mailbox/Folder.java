package health.direct.core.mailbox;

/** The local folders: trusted mail, mail that failed security or trust, and what we sent. */
public enum Folder {
  INBOX("inbox"), QUARANTINE("quarantine"), SENT("sent");

  private final String dirName;

  Folder(String dirName) {
    this.dirName = dirName;
  }

  public String dirName() {
    return dirName;
  }
}
