package io.gatehouse.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.StringMatchType;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The index must pick exactly what a linear first-match scan picks: checked on random route sets
 * and requests built from a small vocabulary, so that overlaps, trailing slashes, empty segments
 * and shadowed routes are frequent.
 */
class PathIndexTest {
  private static final String[] SEGMENTS = {"a", "b", "ab", ""};

  @Test
  void agreesWithLinearScan() {
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      List<RouteEntry> routes = new ArrayList<>();
      int count = 1 + random.nextInt(25);
      for (int i = 0; i < count; i++) {
        routes.add(randomRoute(random, "r" + i));
      }
      PathIndex index = new PathIndex(routes);
      for (int q = 0; q < 50; q++) {
        String path = random.nextInt(20) == 0 ? "*" : randomPath(random);
        HttpHeaders headers = new DefaultHttpHeaders();
        if (random.nextBoolean()) {
          headers.add("x-h", "1");
        }
        RouteRequest request = new RouteRequest(random.nextBoolean() ? "GET" : "POST", path, "",
            headers);
        RouteEntry expected = routes.stream().filter(r -> r.matches(request)).findFirst()
            .orElse(null);
        assertThat(index.first(request)).as("%s on %s", path, routes).isSameAs(expected);
      }
    }
  }

  private static RouteEntry randomRoute(Random random, String id) {
    String p = randomPath(random);
    PathMatch path = switch (random.nextInt(5)) {
      case 0 -> new PathMatch.Exact(p);
      case 1 -> new PathMatch.Regex(p.replace("a", "[ab]+") + ".*");
      default -> new PathMatch.Prefix(random.nextInt(4) == 0 ? p + "/" : p);
    };
    List<HeaderMatch> headers = random.nextInt(4) == 0
        ? List.of(new HeaderMatch("x-h", StringMatchType.EXACT, "1"))
        : List.of();
    String method = random.nextInt(4) == 0 ? "GET" : null;
    Route r = new Route(id, new RouteMatch(path, method, headers, List.of()), List.of(),
        new Action.DirectResponse(200, id));
    return new RouteEntry(r, new RouteAction.Direct(200, id));
  }

  private static String randomPath(Random random) {
    StringBuilder sb = new StringBuilder();
    int depth = random.nextInt(4);
    for (int i = 0; i < depth; i++) {
      sb.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    return sb.isEmpty() || random.nextInt(6) == 0 ? sb + "/" : sb.toString();
  }
}
