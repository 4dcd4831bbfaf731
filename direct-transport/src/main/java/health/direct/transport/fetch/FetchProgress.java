package health.direct.transport.fetch;

/**
 * Told how a large download is going, so that a person is not left looking at a silent terminal:
 * which message of how many, and bytes so far of its size. Only messages of at least {@link
 * #LARGE} bytes are reported, about every mebibyte.
 *
 * <pre>{@code
 * fetcher.fetch(settings, sink, (n, of, bytes, size) -> System.err.printf("\r%d of %d: %d/%d", n, of, bytes, size));
 * }</pre>
 */
@FunctionalInterface
public interface FetchProgress {
  /** Messages smaller than this are fetched without progress reports. */
  long LARGE = 4L << 20;

  /** Reports nothing. */
  FetchProgress NONE = (message, of, bytes, size) -> {};

  void downloading(int message, int of, long bytes, long size);
}
