package health.direct.web;

import health.direct.core.io.SecureFiles;
import health.direct.core.mime.MessageContents;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Files uploaded with a message (the compose form's and the API's multipart field
 * {@code attachments}), each written owner-only under its safe name into a numbered folder of
 * {@code uploads} (in the home's work folder), which the caller removes once the message is sent.
 */
final class Uploads {
  private Uploads() {}

  static List<Path> save(Context ctx, Path uploads) throws IOException {
    List<Path> files = new ArrayList<>();
    for (UploadedFile f : ctx.uploadedFiles("attachments")) {
      if (f.filename() == null || f.filename().isBlank()) {
        continue; // a file input left empty
      }
      files.add(write(uploads, files.size() + 1, f.filename(), f::content));
    }
    return files;
  }

  /** Where the {@code k}th file, named {@code name} by its sender, is written from {@code content}. */
  static Path write(Path uploads, int k, String name, Content content) throws IOException {
    Path dir = SecureFiles.privateDirectory(uploads.resolve(Integer.toString(k)));
    Path file = SecureFiles.privateFile(dir.resolve(MessageContents.fileName(name, k)));
    try (InputStream in = content.open()) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  @FunctionalInterface
  interface Content {
    InputStream open() throws IOException;
  }
}
