package health.direct.core.mime;

import java.io.IOException;

/**
 * Encoded content (base64, quoted-printable) that cannot be decoded. It is an {@link IOException}
 * because it surfaces from a stream, but it is a fault of the message, never of the disk.
 */
public final class MalformedEncodingException extends IOException {
  public MalformedEncodingException(String message) {
    super(message);
  }

  public MalformedEncodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
