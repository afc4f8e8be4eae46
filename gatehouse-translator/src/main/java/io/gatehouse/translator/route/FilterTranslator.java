package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPURLRewriteFilter;
import io.gatehouse.model.Filter;
import io.gatehouse.model.Header;
import io.gatehouse.model.PathRewrite;
import io.gatehouse.model.RouteMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Translates the filters of a rule. RequestHeaderModifier, ResponseHeaderModifier and CORS (see
 * {@link CorsTranslator}) become model filters; a RequestRedirect is handed back for
 * {@link RedirectTranslator} (it is the rule's action, not a filter); a URLRewrite is handed back
 * too, for {@link #translateUrlRewrite} once the rule's matches are known (ReplacePrefixMatch
 * replaces the matched prefix); RequestMirror filters are handed back for {@link MirrorTranslator},
 * which resolves their backendRef; any other type drops the rule with reason UnsupportedValue
 * (Gateway API: "Unknown values here must result in the implementation setting the Accepted
 * Condition for the Route to status: False, with a Reason of UnsupportedValue", applied per rule as
 * PartiallyInvalid).
 */
final class FilterTranslator {
  private FilterTranslator() {
  }

  /**
   * The filters of a rule.
   *
   * @param redirect the RequestRedirect filter, if the rule has one
   * @param redirectPath where it is written, e.g. {@code spec.rules[0].filters[1]}
   * @param urlRewrite the URLRewrite filter, if the rule has one
   * @param urlRewritePath where it is written, e.g. {@code spec.rules[0].filters[0].urlRewrite}
   * @param mirrors the RequestMirror filters, in order, with where each is written
   */
  record RuleFilters(List<Filter> filters, @Nullable HTTPRequestRedirectFilter redirect,
      String redirectPath, @Nullable HTTPURLRewriteFilter urlRewrite, String urlRewritePath,
      List<MirrorTranslator.Written> mirrors) {
    RuleFilters {
      filters = List.copyOf(filters);
      mirrors = List.copyOf(mirrors);
    }
  }

  static RuleFilters translateFilters(@Nullable List<HTTPRouteFilter> filters, String path,
      RuleProblems problems) {
    return translateFilters(filters, path, problems, null);
  }

  /**
   * As above, accepting only the filter types in {@code types} (null: every type HTTPRoute
   * supports); any other type drops the rule with UnsupportedValue. GRPCRoute filters are read
   * through this with the types GRPCRoute defines.
   */
  static RuleFilters translateFilters(@Nullable List<HTTPRouteFilter> filters, String path,
      RuleProblems problems, @Nullable Set<String> types) {
    List<Filter> out = new ArrayList<>();
    HTTPRequestRedirectFilter redirect = null;
    String redirectPath = "";
    HTTPURLRewriteFilter urlRewrite = null;
    String urlRewritePath = "";
    List<MirrorTranslator.Written> mirrors = new ArrayList<>();
    List<HTTPRouteFilter> list = filters == null ? List.of() : filters;
    for (int i = 0; i < list.size(); i++) {
      HTTPRouteFilter f = list.get(i);
      String p = path + "[" + i + "]";
      if (types != null && !types.contains(f.getType())) {
        problems.unsupported(p + ".type", "Filter type \"" + f.getType()
            + "\" is not supported.");
        continue;
      }
      if ("RequestRedirect".equals(f.getType())) {
        if (f.getRequestRedirect() == null) {
          problems.unsupported(p, "The RequestRedirect filter has no configuration.");
        } else if (redirect != null) {
          problems.unsupported(p, "The RequestRedirect filter cannot be repeated.");
        } else {
          redirect = f.getRequestRedirect();
          redirectPath = p + ".requestRedirect";
        }
        continue;
      }
      if ("URLRewrite".equals(f.getType())) {
        if (f.getUrlRewrite() == null) {
          problems.unsupported(p, "The URLRewrite filter has no configuration.");
        } else if (urlRewrite != null) {
          problems.unsupported(p, "The URLRewrite filter cannot be repeated.");
        } else {
          urlRewrite = f.getUrlRewrite();
          urlRewritePath = p + ".urlRewrite";
        }
        continue;
      }
      if ("CORS".equals(f.getType())) {
        if (f.getCors() == null) {
          problems.unsupported(p, "The CORS filter has no configuration.");
        } else if (out.stream().anyMatch(Filter.Cors.class::isInstance)) {
          problems.unsupported(p, "The CORS filter cannot be repeated.");
        } else {
          out.add(CorsTranslator.translateCors(f.getCors(), p + ".cors", problems));
        }
        continue;
      }

      if ("RequestMirror".equals(f.getType())) {
        HTTPRequestMirrorFilter m = f.getRequestMirror();
        if (m == null) {
          problems.unsupported(p, "The RequestMirror filter has no configuration.");
        } else {
          mirrors.add(new MirrorTranslator.Written(m, p + ".requestMirror"));
        }
        continue;
      }
      Filter translated = translate(f, p, problems);
      if (translated != null) {
        out.add(translated);
      }
    }
    if (redirect != null && urlRewrite != null) {
      problems.unsupported(urlRewritePath, "A URLRewrite filter must not be used together with a"
          + " RequestRedirect filter.");
    }
    return new RuleFilters(out, redirect, redirectPath, urlRewrite, urlRewritePath, mirrors);
  }

  /**
   * The model filter for a URLRewrite (Gateway API HTTPURLRewriteFilter), or null when it sets
   * nothing. Its path modifier is translated like a redirect's, so ReplacePrefixMatch needs exactly
   * one PathPrefix match in the rule.
   */
  static Filter.@Nullable UrlRewrite translateUrlRewrite(HTTPURLRewriteFilter f,
      List<RouteMatch> matches, String path, RuleProblems problems) {
    String hostname = f.getHostname() == null || f.getHostname().isEmpty()
        ? null
        : f.getHostname();
    PathRewrite rewrite = RedirectTranslator.pathRewrite(f.getPath(), matches, path + ".path",
        problems);
    return hostname == null && rewrite == null ? null : new Filter.UrlRewrite(hostname, rewrite);
  }

  private static @Nullable Filter translate(HTTPRouteFilter f, String path,
      RuleProblems problems) {
    String type = f.getType() == null ? "" : f.getType();
    boolean request = type.equals("RequestHeaderModifier");
    if (!request && !type.equals("ResponseHeaderModifier")) {
      problems.unsupported(path + ".type", "Filter type \"" + type + "\" is not supported.");
      return null;
    }
    HTTPHeaderFilter h = request ? f.getRequestHeaderModifier() : f.getResponseHeaderModifier();
    if (h == null) {
      problems.unsupported(path, "The " + type + " filter has no configuration.");
      return null;
    }
    return request
        ? new Filter.RequestHeaderModifier(headers(h.getSet()), headers(h.getAdd()),
            names(h.getRemove()))
        : new Filter.ResponseHeaderModifier(headers(h.getSet()), headers(h.getAdd()),
            names(h.getRemove()));
  }

  private static List<Header> headers(@Nullable List<HTTPHeader> headers) {
    List<Header> out = new ArrayList<>();
    if (headers != null) {
      for (HTTPHeader h : headers) {
        if (h.getName() != null && h.getValue() != null) {
          out.add(new Header(h.getName(), h.getValue()));
        }
      }
    }
    return out;
  }

  private static List<String> names(@Nullable List<String> names) {
    return names == null ? List.of() : names.stream().filter(n -> n != null).toList();
  }
}
