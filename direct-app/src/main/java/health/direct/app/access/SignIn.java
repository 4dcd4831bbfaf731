package health.direct.app.access;

import health.direct.app.DirectSession;
import health.direct.core.DirectException;
import health.direct.core.Problem;
import health.direct.core.store.DirectHome;
import health.direct.core.store.HomeConfig;
import health.direct.core.store.PasswordSource;
import health.direct.core.store.StoreException;
import java.time.Clock;

/**
 * Signing in to a home from a front end that is not the home's own terminal (the web client): the
 * store password is proved by unlocking the home's private keys, so a wrong one is refused at the
 * door rather than at the first message. A home with no identity has nothing to prove a password
 * against and is refused too, saying how to give it one.
 *
 * <pre>{@code
 * DirectSession s = new SignIn(home, config, Clock.systemUTC()).with(password);
 * }</pre>
 */
public final class SignIn {
  private final DirectHome home;
  private final HomeConfig config;
  private final Clock clock;

  public SignIn(DirectHome home, HomeConfig config, Clock clock) {
    this.home = home;
    this.config = config;
    this.clock = clock;
  }

  /** A session for {@code password}, or a {@link Problem#LOGIN_REFUSED} error in words. */
  public DirectSession with(char[] password) {
    DirectSession session = DirectSession.open(home, PasswordSource.of(password), config, clock);
    try {
      if (session.identities().list().isEmpty()) {
        throw new DirectException(Problem.LOGIN_REFUSED, "this home has no identity yet: import or create one with "
            + "'direct identity import' or 'direct identity create' first");
      }
      session.identities().decryptionKeys().get(0).privateKey(); // keys are unlocked lazily: unlock one
      return session;
    } catch (StoreException e) {
      session.close();
      throw new DirectException(Problem.LOGIN_REFUSED, "the password is not this home's store password", e);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }
}
