package health.direct.web;

import health.direct.app.DirectSession;
import health.direct.core.mailbox.Mailbox;

/**
 * What the HTTP API works with: the home's session, unlocked when {@code direct serve} started
 * (an EHR has no password to type), its mailbox, and how to wake the agent so that a message the
 * API queued goes out at once rather than at the next round.
 *
 * <pre>{@code
 * ApiAccess api = new ApiAccess(session, session.mailbox(), agent::wake);
 * }</pre>
 */
public record ApiAccess(DirectSession session, Mailbox mailbox, Runnable wake) {}
