package health.direct.core.mailbox;

/**
 * The local folders: trusted mail, mail that failed security or trust, what we sent, delivery
 * notifications, and where the user files what is dealt with.
 */
public enum Folder {
  INBOX("inbox"), QUARANTINE("quarantine"), SENT("sent"), RECEIPTS("receipts"), ARCHIVE("archive");

  private final String dirName;

  Folder(String dirName) {
    this.dirName = dirName;
  }

  public String dirName() {
    return dirName;
  }

  /** The folder a person names ("inbox", "Sent"), if there is one. */
  public static java.util.Optional<Folder> named(String name) {
    for (Folder f : values()) {
      if (f.dirName.equalsIgnoreCase(name.trim())) {
        return java.util.Optional.of(f);
      }
    }
    return java.util.Optional.empty();
  }
}
