package health.direct.core.mime;

/**
 * How much structure a message may have before it is refused as hostile rather than shown: parts
 * nested inside parts, parts in all, header lines and header bytes in one header block. No message
 * a person or an EHR writes comes near them; a message built to exhaust the reader does. Each is
 * a setting ({@code mime.max-nesting}, {@code mime.max-parts}, {@code mime.max-header-lines},
 * {@code mime.max-header-bytes}); reaching one is an error that names it.
 *
 * <pre>{@code
 * MessageContents c = MessageContents.read(file, MimeLimits.defaults());
 * }</pre>
 */
public record MimeLimits(int maxNesting, int maxParts, int maxHeaderLines, int maxHeaderBytes) {
  public MimeLimits {
    if (maxNesting < 1 || maxParts < 1 || maxHeaderLines < 1 || maxHeaderBytes < 1) {
      throw new IllegalArgumentException("every MIME limit is at least 1");
    }
  }

  /** 50 levels, 1,000 parts, 1,000 header lines and 1 MiB of headers per header block. */
  public static MimeLimits defaults() {
    return new MimeLimits(50, 1_000, 1_000, 1 << 20);
  }
}
