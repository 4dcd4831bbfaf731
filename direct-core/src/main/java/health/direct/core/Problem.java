package health.direct.core;

/**
 * The stable kinds of failure, each with the process exit code the command line maps it to and
 * the HTTP status the API answers with (the one table both front ends read). The numbers are part
 * of the public contract (see docs/cli.md and docs/api.md); never renumber one.
 */
public enum Problem {
  INTERNAL(1, 500),
  USAGE(2, 400),
  CONFIG(3, 500),
  MALFORMED_INPUT(4, 400),
  UNSECURED(5, 422),
  NO_DECRYPTION_KEY(6, 422),
  INVALID_SIGNATURE(7, 422),
  UNTRUSTED(8, 422),
  SIGNER_NOT_BOUND(9, 422),
  NO_IDENTITY(10, 409),
  NO_TRUSTED_RECIPIENT(11, 422),
  STORE(12, 500),
  IO(13, 503),
  NOT_FOUND(14, 404),
  DELIVERY_FAILED(15, 502),
  UNHEALTHY(16, 503),
  PHI_FOUND(17, 422),
  /** Sent, but not to every recipient; only {@code send --strict} reports it. */
  NOT_SENT_TO_ALL(18, 422),
  /** The mail server refused the mailbox login (wrong user or password, or the account is locked). */
  LOGIN_REFUSED(19, 401),
  /** Another process holds what this one needs (a second fetch of one home); trying again later works. */
  BUSY(20, 503),
  /** The request repeats an earlier one's key (an API Idempotency-Key) with different content, or its outcome is unknown. */
  CONFLICT(21, 409);

  private final int exitCode;
  private final int httpStatus;

  Problem(int exitCode, int httpStatus) {
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }

  /** The HTTP status an API answer with this problem carries. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The problem's name in the API's {@code code} member and type URI: {@code not-found}. */
  public String slug() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public int exitCode() {
    return exitCode;
  }
}
