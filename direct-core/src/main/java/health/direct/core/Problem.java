package health.direct.core;

/**
 * The stable kinds of failure, each with the process exit code the command line maps it to.
 * The numbers are part of the public contract (see docs/cli.md); never renumber one.
 */
public enum Problem {
  INTERNAL(1),
  USAGE(2),
  CONFIG(3),
  MALFORMED_INPUT(4),
  UNSECURED(5),
  NO_DECRYPTION_KEY(6),
  INVALID_SIGNATURE(7),
  UNTRUSTED(8),
  SIGNER_NOT_BOUND(9),
  NO_IDENTITY(10),
  NO_TRUSTED_RECIPIENT(11),
  STORE(12),
  IO(13),
  NOT_FOUND(14),
  DELIVERY_FAILED(15),
  UNHEALTHY(16),
  PHI_FOUND(17),
  /** Sent, but not to every recipient; only {@code send --strict} reports it. */
  NOT_SENT_TO_ALL(18),
  /** The mail server refused the mailbox login (wrong user or password, or the account is locked). */
  LOGIN_REFUSED(19),
  /** Another process holds what this one needs (a second fetch of one home); trying again later works. */
  BUSY(20);

  private final int exitCode;

  Problem(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
