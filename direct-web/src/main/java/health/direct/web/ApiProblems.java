package health.direct.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.direct.core.Problem;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * Errors of the API as RFC 9457 problem details ({@code application/problem+json}): the type is
 * the problem's stable name, the status comes from {@link Problem}'s table (the command line's
 * exit code is in {@code exitCode}), and {@code detail} is the sentence a person can act on.
 */
final class ApiProblems {
  static final String TYPE = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiProblems() {}

  static void answer(Context ctx, Problem p, String detail) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "urn:direct:problem:" + p.slug());
    n.put("title", title(p));
    n.put("status", p.httpStatus());
    n.put("detail", detail);
    n.put("code", p.slug());
    n.put("exitCode", p.exitCode());
    n.put("instance", ctx.path());
    if (p == Problem.BUSY) {
      ctx.header("Retry-After", "5");
    }
    if (p == Problem.LOGIN_REFUSED) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"direct\"");
    }
    ctx.status(p.httpStatus()).contentType(TYPE).result(n.toString());
  }

  private static String title(Problem p) {
    String words = p.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
