package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.gatehouse.model.Filter;
import io.gatehouse.model.Header;
import io.gatehouse.translator.route.MatchTranslator.InvalidRule;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Translates the filters of a rule. RequestHeaderModifier and ResponseHeaderModifier are supported;
 * any other type drops the rule with reason UnsupportedValue (Gateway API: "Unknown values here
 * must result in the implementation setting the Accepted Condition for the Route to status: False,
 * with a Reason of UnsupportedValue", applied per rule as PartiallyInvalid).
 */
final class FilterTranslator {
  private FilterTranslator() {
  }

  static List<Filter> translateFilters(@Nullable List<HTTPRouteFilter> filters, String path) {
    List<Filter> out = new ArrayList<>();
    if (filters == null) {
      return out;
    }
    for (int i = 0; i < filters.size(); i++) {
      out.add(translate(filters.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  private static Filter translate(HTTPRouteFilter f, String path) {
    String type = f.getType() == null ? "" : f.getType();
    return switch (type) {
      case "RequestHeaderModifier" -> {
        HTTPHeaderFilter h = required(f.getRequestHeaderModifier(),
            path + ".requestHeaderModifier");
        yield new Filter.RequestHeaderModifier(headers(h.getSet()), headers(h.getAdd()),
            names(h.getRemove()));
      }
      case "ResponseHeaderModifier" -> {
        HTTPHeaderFilter h = required(f.getResponseHeaderModifier(),
            path + ".responseHeaderModifier");
        yield new Filter.ResponseHeaderModifier(headers(h.getSet()), headers(h.getAdd()),
            names(h.getRemove()));
      }
      default -> throw new InvalidRule(Reason.UNSUPPORTED_VALUE,
          path + ".type: Filter type \"" + type + "\" is not supported.");
    };
  }

  private static HTTPHeaderFilter required(@Nullable HTTPHeaderFilter h, String path) {
    if (h == null) {
      throw new InvalidRule(Reason.UNSUPPORTED_VALUE, path + ": The filter has no configuration.");
    }
    return h;
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
