package health.direct.cli;

import java.util.List;
import picocli.CommandLine.Parameters;

/** The "[FOLDER] N" operand that read, reply, forward, move and delete share. */
final class MessageRef {
  @Parameters(arity = "1..2", paramLabel = FolderRef.LABEL, description = FolderRef.HELP)
  List<String> words;

  FolderRef ref() {
    return FolderRef.parse(words);
  }
}
