package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's {@code CompareRoundTrip} (README.md "HTTP cases"), in its order: timeout codes,
 * status, then for 200/204 the request the echo captured, else for a 3xx the redirect. Returns null
 * when the exchange matches the expectation, else what differs.
 */
final class RoundTrip {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RoundTrip() {
  }

  /**
   * @param c the case ({@code request}, {@code expectedRequest}, {@code response}, {@code backend},
   * {@code namespace}, {@code redirect})
   * @param sentPath the path and query actually sent (after {@code {uuid}} substitution)
   * @param expectedPath the expected request path (same substitution)
   * @param scheme the request's scheme
   */
  static String compare(JsonNode c, HttpExchange.Response r, String sentPath, String expectedPath,
      String scheme) {
    List<Integer> codes = new ArrayList<>();
    c.path("response").path("statusCodes").forEach(n -> codes.add(n.asInt()));
    if (codes.isEmpty()) {
      codes.add(200);
    }
    int status = r.status();
    boolean timeoutCode = status == 408 || status == 504;
    if (timeoutCode && (codes.contains(408) || codes.contains(504))) {
      return null;
    }
    if (!codes.contains(status)) {
      return "expected status " + (codes.size() == 1 ? codes.get(0) : codes) + ", got " + status
          + bodyHint(r);
    }
    if (status == 200 || status == 204) {
      return compareCaptured(c, r, sentPath, expectedPath);
    }
    if (status >= 300 && status < 400 && c.hasNonNull("redirect")) {
      return compareRedirect(c.path("redirect"), r, scheme, sentPath);
    }
    return null;
  }

  private static String bodyHint(HttpExchange.Response r) {
    String body = r.bodyText().strip();
    if (body.length() > 160) {
      body = body.substring(0, 160) + "...";
    }
    return body.isEmpty() ? "" : " (body: " + body.replace('\n', ' ') + ")";
  }

  private static String compareCaptured(JsonNode c, HttpExchange.Response r, String sentPath,
      String expectedPath) {
    JsonNode req = c.path("request");
    JsonNode exp = c.has("expectedRequest") ? c.path("expectedRequest") : req;
    JsonNode captured = captured(r, req.path("method").asText("GET"));
    String host = exp.path("host").asText("");
    if (!host.isEmpty() && !host.equals(captured.path("host").asText())) {
      return "expected host " + host + ", backend saw " + captured.path("host").asText();
    }
    if (!expectedPath.equals(captured.path("path").asText())) {
      return "expected path " + expectedPath + ", backend saw \"" + captured.path("path").asText()
          + "\"";
    }
    String method = exp.path("method").asText(req.path("method").asText("GET"));
    if (!method.equals(captured.path("method").asText())) {
      return "expected method " + method + ", backend saw " + captured.path("method").asText();
    }
    String ns = c.path("namespace").asText("");
    if (!ns.equals(captured.path("namespace").asText(""))) {
      return "expected namespace \"" + ns + "\", got \"" + captured.path("namespace").asText("")
          + "\" (pod " + captured.path("pod").asText("-") + ")";
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = exp.path("headers").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> actual = values(captured.path("headers"), e.getKey());
      if (actual == null) {
        return "expected request header " + e.getKey() + " not received by the backend; it got "
            + captured.path("headers");
      }
      if (!String.join(",", actual).equals(e.getValue().asText())) {
        return "expected request header " + e.getKey() + ": " + e.getValue().asText()
            + ", backend got " + String.join(",", actual);
      }
    }
    if (exp.hasNonNull("httpPort")
        && !exp.path("httpPort").asText().equals(captured.path("httpPort").asText())) {
      return "expected httpPort " + exp.path("httpPort").asText() + ", got "
          + captured.path("httpPort").asText();
    }
    String responseProblem = compareResponseHeaders(c.path("response"), r);
    if (responseProblem != null) {
      return responseProblem;
    }
    for (JsonNode h : exp.path("absentHeaders")) {
      if (values(captured.path("headers"), h.asText()) != null) {
        return "request header " + h.asText() + " should be absent, backend got "
            + values(captured.path("headers"), h.asText());
      }
    }
    String backend = c.path("backend").asText("");
    if (!captured.path("pod").asText("").startsWith(backend)) {
      return "expected pod of " + backend + ", answered by \"" + captured.path("pod").asText("")
          + "\"";
    }
    if (exp.hasNonNull("sni")
        && !exp.path("sni").asText().equals(captured.path("tls").path("serverName").asText())) {
      return "expected SNI " + exp.path("sni").asText() + ", backend saw "
          + captured.path("tls").path("serverName").asText();
    }
    if (exp.hasNonNull("clientCert")) {
      boolean seen = false;
      for (JsonNode pem : captured.path("tls").path("peerCertificates")) {
        seen |= pem.asText().equals(exp.path("clientCert").asText());
      }
      if (!seen) {
        return "expected the backend to see the client certificate; it saw "
            + captured.path("tls").path("peerCertificates").size() + " peer certificates";
      }
    }
    return null;
  }

  private static String compareResponseHeaders(JsonNode response, HttpExchange.Response r) {
    boolean ignoreWs = response.path("ignoreWhitespace").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields(); it
        .hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> actual = r.header(e.getKey());
      if (actual.isEmpty()) {
        return "expected response header " + e.getKey() + " missing";
      }
      String a = String.join(",", actual);
      String x = e.getValue().asText();
      if (ignoreWs ? !a.replace(" ", "").equals(x.replace(" ", "")) : !a.equals(x)) {
        return "expected response header " + e.getKey() + ": " + x + ", got " + a;
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = response.path("validHeaderValues").fields(); it
        .hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> actual = r.header(e.getKey());
      String a = String.join(",", actual);
      boolean ok = false;
      for (JsonNode v : e.getValue()) {
        ok |= !actual.isEmpty() && v.asText().equals(a);
      }
      if (!ok) {
        return "response header " + e.getKey() + " is \"" + a + "\", expected one of "
            + e.getValue();
      }
    }
    for (JsonNode h : response.path("absentHeaders")) {
      if (!r.header(h.asText()).isEmpty()) {
        return "response header " + h.asText() + " should be absent, got " + r.header(h.asText());
      }
    }
    return null;
  }

  private static String compareRedirect(JsonNode redirect, HttpExchange.Response r,
      String scheme, String sentPath) {
    List<String> location = r.header("location");
    if (location.isEmpty()) {
      return "expected a Location header on " + r.status();
    }
    URI uri;
    try {
      uri = URI.create(location.get(0));
    } catch (IllegalArgumentException e) {
      return "unparseable Location " + location.get(0);
    }
    String expScheme = redirect.hasNonNull("scheme") ? redirect.path("scheme").asText() : scheme;
    String actScheme = uri.getScheme() == null ? scheme : uri.getScheme();
    if (!expScheme.equals(actScheme)) {
      return "expected redirect scheme " + expScheme + ", Location " + location.get(0);
    }
    if (redirect.hasNonNull("host") && !redirect.path("host").asText().equals(uri.getHost())) {
      return "expected redirect host " + redirect.path("host").asText() + ", Location "
          + location.get(0);
    }
    int port = uri.getPort();
    if (redirect.hasNonNull("port")) {
      if (port != redirect.path("port").asInt()) {
        return "expected redirect port " + redirect.path("port").asInt() + ", Location "
            + location.get(0);
      }
    } else if (port != -1 && port != (actScheme.equals("https") ? 443 : 80)) {
      return "expected no redirect port (or the default of " + actScheme + "), Location "
          + location.get(0);
    }
    String q = sentPath.contains("?") ? sentPath.substring(0, sentPath.indexOf('?')) : sentPath;
    String path = redirect.hasNonNull("path") ? redirect.path("path").asText() : q;
    if (!path.equals(uri.getRawPath())) {
      return "expected redirect path " + path + ", Location " + location.get(0);
    }
    return null;
  }

  /** The echo's report, or (not JSON: an answer of the gateway) just the method sent. */
  static JsonNode captured(HttpExchange.Response r, String method) {
    List<String> ct = r.header("content-type");
    if (ct.size() == 1 && ct.get(0).equals("application/json")) {
      try {
        return JSON.readTree(r.body());
      } catch (java.io.IOException e) {
        // an unparseable body captures nothing, as in Go
      }
    }
    return ObjectNodes.object().put("method", method);
  }

  /** The values of a captured header (name case-insensitive), or null when absent. */
  static List<String> values(JsonNode headers, String name) {
    for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        List<String> out = new ArrayList<>();
        e.getValue().forEach(v -> out.add(v.asText()));
        return out;
      }
    }
    return null;
  }
}
