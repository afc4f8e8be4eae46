package io.gatehouse.translator.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCHeaderMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatchBuilder;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.RouteMatch;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paths GRPCRoute method matches select, checked by matching real request paths the way the
 * proxy does (Exact: equality, Regex: the whole path, Prefix "/": everything).
 */
class GRPCMatchTranslatorTest {
  static Stream<Arguments> paths() {
    return Stream.of(
        Arguments.of(exact("pkg.Svc", "Echo"), "/pkg.Svc/Echo", true),
        Arguments.of(exact("pkg.Svc", "Echo"), "/pkg.Svc/EchoTwo", false),
        Arguments.of(exact("pkg.Svc", null), "/pkg.Svc/Echo", true),
        Arguments.of(exact("pkg.Svc", null), "/pkg.Svc/Other", true),
        Arguments.of(exact("pkg.Svc", null), "/pkgXSvc/Echo", false),
        Arguments.of(exact("pkg.Svc", null), "/pkg.Svc", false),
        Arguments.of(exact("pkg.Svc", null), "/pkg.Svc/a/b", false),
        Arguments.of(exact("pkg.Svc", null), "/pkg.Svc2/Echo", false),
        Arguments.of(exact(null, "Echo"), "/any.Svc/Echo", true),
        Arguments.of(exact(null, "Echo"), "/any.Svc/EchoTwo", false),
        Arguments.of(exact(null, "Echo"), "/a/b/Echo", false),
        Arguments.of(regex("pkg\\..*", "Echo.*"), "/pkg.Svc/EchoTwo", true),
        Arguments.of(regex("pkg\\..*", "Echo.*"), "/pkg.a/b/Echo", false),
        Arguments.of(regex("pkg\\..*", "Echo.*"), "/other.Svc/Echo", false),
        Arguments.of(regex("^pkg\\.Svc$", null), "/pkg.Svc/Anything", true),
        Arguments.of(regex(null, "^(Echo|Ping)$"), "/x.Y/Ping", true),
        Arguments.of(regex(null, "^(Echo|Ping)$"), "/x.Y/Pong", false),
        Arguments.of(regex("a|b", null), "/b/M", true),
        Arguments.of(regex("a|b", null), "/a/x/M", false));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("paths")
  void selectsPaths(GRPCRouteMatch match, String path, boolean expected) {
    RuleProblems problems = new RuleProblems();
    RouteMatch m = GRPCMatchTranslator.translateMatch(match, "spec.rules[0].matches[0]",
        problems);
    assertThat(problems.first()).isNull();
    assertThat(matches(m.path(), path)).isEqualTo(expected);
  }

  @Test
  void absentMatchSelectsEveryPath() {
    RouteMatch m = GRPCMatchTranslator.translateMatch(null, "p", new RuleProblems());
    assertThat(m.path()).isEqualTo(new PathMatch.Prefix("/"));
  }

  @Test
  void ranksByServiceMethodAndDistinctHeaders() {
    GRPCRouteMatch m = new GRPCRouteMatchBuilder()
        .withMethod(new GRPCMethodMatchBuilder().withService("pkg.Svc").withMethod("Echo")
            .build())
        .withHeaders(new GRPCHeaderMatchBuilder().withName("a").withValue("1").build(),
            new GRPCHeaderMatchBuilder().withName("A").withValue("2").build(),
            new GRPCHeaderMatchBuilder().withName("b").withValue("3").build())
        .build();
    assertThat(GRPCMatchTranslator.rank(m)).isEqualTo(new GrpcRank(7, 4, 2));
    assertThat(GRPCMatchTranslator.translateMatch(m, "p", new RuleProblems()).headers())
        .hasSize(2);
    assertThat(GRPCMatchTranslator.rank(null)).isEqualTo(new GrpcRank(0, 0, 0));
  }

  @Test
  void emptyServiceAndMethodAreInvalid() {
    RuleProblems problems = new RuleProblems();
    GRPCMatchTranslator.translateMatch(new GRPCRouteMatchBuilder()
        .withMethod(new GRPCMethodMatchBuilder().withService("").withMethod("").build())
        .build(), "spec.rules[0].matches[0]", problems);
    assertThat(problems.first()).isNotNull();
    assertThat(problems.first().message()).startsWith("spec.rules[0].matches[0].method: ");
  }

  private static boolean matches(PathMatch p, String path) {
    return switch (p) {
      case PathMatch.Exact e -> e.value().equals(path);
      case PathMatch.Regex r -> Pattern.compile(r.value()).matcher(path).matches();
      case PathMatch.Prefix pr -> pr.value().equals("/");
    };
  }

  private static GRPCRouteMatch exact(String service, String method) {
    return new GRPCRouteMatchBuilder().withMethod(new GRPCMethodMatchBuilder()
        .withService(service).withMethod(method).build()).build();
  }

  private static GRPCRouteMatch regex(String service, String method) {
    return new GRPCRouteMatchBuilder().withMethod(new GRPCMethodMatchBuilder()
        .withType("RegularExpression").withService(service).withMethod(method).build()).build();
  }
}
