package health.direct.core;

/**
 * The one unchecked exception family of the toolkit. Each carries a {@link Problem} (which maps to
 * an exit code) and a message that says what failed, for whom, and what was tried.
 */
public class DirectException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Problem problem;

  public DirectException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public DirectException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
