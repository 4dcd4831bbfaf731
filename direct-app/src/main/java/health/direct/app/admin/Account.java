package health.direct.app.admin;

import health.direct.app.DirectSession;
import health.direct.core.store.PasswordChange;

/**
 * The home's secrets: the mail server password (risk 7: kept encrypted under the store password,
 * never in the settings file) and the store password itself.
 *
 * <pre>{@code
 * new Account(session).setServerPassword(password);
 * }</pre>
 */
public final class Account {
  private final DirectSession session;

  public Account(DirectSession session) {
    this.session = session;
  }

  /** Stores the mail server password, encrypted under the store password. */
  public void setServerPassword(char[] password) {
    session.secrets().put(DirectSession.SERVER_PASSWORD, password);
  }

  /** Re-encrypts every key and secret under {@code newPassword}; see {@link PasswordChange}. */
  public PasswordChange.Result changeStorePassword(char[] newPassword) {
    return session.changePassword(newPassword);
  }
}
