package health.direct.app.access;

import health.direct.core.store.ApiTokenStore;
import health.direct.core.store.DirectHome;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the HTTP API of {@code direct serve}: the holders of a bearer token made here. A
 * request is let in only when its token is one of this home's, not revoked; nothing else (address,
 * header, cookie) lets it in.
 *
 * <pre>{@code
 * ApiTokens tokens = new ApiTokens(home, Clock.systemUTC());
 * String secret = tokens.create("ehr").secret(); // shown once
 * tokens.caller("Bearer " + secret);             // Optional[ehr]
 * }</pre>
 */
public final class ApiTokens {
  private final ApiTokenStore store;
  private final Clock clock;

  public ApiTokens(DirectHome home, Clock clock) {
    this.store = new ApiTokenStore(home.root().resolve("api-tokens.properties"));
    this.clock = clock;
  }

  /** Makes a token called {@code name} (an EHR, an interface engine); its secret is in the answer only. */
  public ApiTokenStore.Created create(String name) {
    return store.create(name, clock.instant());
  }

  public List<ApiTokenStore.Token> list() {
    return store.list();
  }

  public void revoke(String name) {
    store.revoke(name);
  }

  /** The token's name when {@code authorization} (an HTTP Authorization header) carries a valid bearer token. */
  public Optional<String> caller(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return store.authenticate(authorization.substring(7).trim());
  }
}
