package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPCORSFilter;
import io.gatehouse.model.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Translates a CORS filter (Gateway API {@code HTTPCORSFilter}) into {@link Filter.Cors}. An origin
 * is {@code *} alone or {@code http|https://<host>[:<port>]}; its host may be {@code *} alone or
 * start with one {@code *.} label (the spec's "greedy match to the left"), any other {@code *}
 * (e.g. {@code https://*.*.example.com}, {@code http://ex*ample.com}) is not a valid origin.
 * Methods are the RFC 9110 methods the CRD lists, header names are RFC 9110 tokens, and {@code *}
 * may not be combined with other values. Any invalid value is recorded in {@link RuleProblems}
 * (reason UnsupportedValue) and drops the rule. {@code maxAge} defaults to 5, the CRD's default.
 */
final class CorsTranslator {
  private static final int DEFAULT_MAX_AGE = 5;
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern ORIGIN = Pattern.compile("(https?)://(\\*|(\\*\\.)?" + LABEL
      + "(\\." + LABEL + ")*|\\[[0-9a-f:.]+\\])(:(?<port>[0-9]{1,5}))?");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE",
      "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private CorsTranslator() {
  }

  static Filter.Cors translateCors(HTTPCORSFilter f, String path, RuleProblems problems) {
    List<String> origins = new ArrayList<>();
    List<String> given = orEmpty(f.getAllowOrigins());
    for (int i = 0; i < given.size(); i++) {
      String origin = origin(given.get(i), path + ".allowOrigins[" + i + "]", problems);
      if (origin != null && !origins.contains(origin)) {
        origins.add(origin);
      }
    }
    wildcardAlone(origins, path + ".allowOrigins", problems);
    List<String> methods = values(f.getAllowMethods(), path + ".allowMethods", problems, true);
    List<String> allowHeaders = values(f.getAllowHeaders(), path + ".allowHeaders", problems,
        false);
    List<String> exposeHeaders = values(f.getExposeHeaders(), path + ".exposeHeaders", problems,
        false);
    int maxAge = f.getMaxAge() == null ? DEFAULT_MAX_AGE : f.getMaxAge();
    if (maxAge < 1) {
      problems.unsupported(path + ".maxAge", "Max age " + maxAge + " is not at least 1.");
      maxAge = DEFAULT_MAX_AGE;
    }
    return new Filter.Cors(origins, methods, allowHeaders, exposeHeaders, maxAge,
        Boolean.TRUE.equals(f.getAllowCredentials()));
  }

  /** The origin in lower case, or null after recording why it is invalid. */
  private static @Nullable String origin(@Nullable String value, String path,
      RuleProblems problems) {
    String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
    if (v.equals("*")) {
      return v;
    }
    Matcher m = ORIGIN.matcher(v);
    if (!m.matches()) {
      problems.unsupported(path, "Origin \"" + value + "\" is not valid: use \"*\" or"
          + " http(s)://<host>[:<port>], with \"*\" only as the whole host or as its first"
          + " label.");
      return null;
    }
    String port = m.group("port");
    if (port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
      problems.unsupported(path, "Origin \"" + value + "\" has port " + port
          + ", which is not between 1 and 65535.");
      return null;
    }
    return v;
  }

  /**
   * Methods ({@code methods}) or header names, without duplicates; methods keep their case (they
   * are case-sensitive), header names are lower-cased.
   */
  private static List<String> values(@Nullable List<String> given, String path,
      RuleProblems problems, boolean methods) {
    List<String> out = new ArrayList<>();
    List<String> list = orEmpty(given);
    for (int i = 0; i < list.size(); i++) {
      String v = list.get(i) == null ? "" : list.get(i);
      boolean valid = v.equals("*") || (methods ? METHODS.contains(v) : TOKEN.matcher(v).matches());
      if (!valid) {
        problems.unsupported(path + "[" + i + "]", (methods ? "Method" : "Header name") + " \""
            + v + "\" is not valid.");
        continue;
      }
      String normal = methods ? v : v.toLowerCase(Locale.ROOT);
      if (!out.contains(normal)) {
        out.add(normal);
      }
    }
    wildcardAlone(out, path, problems);
    return out;
  }

  private static void wildcardAlone(List<String> values, String path, RuleProblems problems) {
    if (values.contains("*") && values.size() > 1) {
      problems.unsupported(path, "\"*\" cannot be combined with other values.");
    }
  }

  private static List<String> orEmpty(@Nullable List<String> list) {
    return list == null ? List.of() : list;
  }
}
