package health.direct.cli;

import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.mailbox.Folder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** "[FOLDER] N" as the message commands take it: "3" is inbox 3, "sent 2" is message 2 of the sent folder. */
record FolderRef(Folder folder, long number) {
  static final String LABEL = "[FOLDER] N";
  static final String HELP = "The folder (inbox, quarantine, sent, receipts, archive; default inbox) and the "
      + "message's number in it, as the folder's listing shows it.";

  static FolderRef parse(List<String> args) {
    if (args.isEmpty() || args.size() > 2) {
      throw new DirectException(Problem.USAGE, "give the message as [FOLDER] N, e.g. '3' or 'sent 2'");
    }
    Folder f = args.size() == 2 ? folder(args.get(0)) : Folder.INBOX;
    String n = args.get(args.size() - 1);
    try {
      long number = Long.parseLong(n);
      if (number < 1) {
        throw new NumberFormatException();
      }
      return new FolderRef(f, number);
    } catch (NumberFormatException e) {
      throw new DirectException(Problem.USAGE, "'" + n + "' is not a message number (the folder's listing shows them)");
    }
  }

  static Folder folder(String name) {
    return Folder.named(name).orElseThrow(() -> new DirectException(Problem.USAGE, "no folder '" + name
        + "'; the folders are " + String.join(", ", Arrays.stream(Folder.values()).map(Folder::dirName).toList())));
  }

  @Override
  public String toString() {
    return folder.dirName().toLowerCase(Locale.ROOT) + " " + number;
  }
}
