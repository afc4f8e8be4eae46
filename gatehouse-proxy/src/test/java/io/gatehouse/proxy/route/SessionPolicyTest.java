package io.gatehouse.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.SessionPersistence;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionPolicyTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RouteAction.Backend a = backend(0, "a", 3000, 3001);
  private final RouteAction.Backend b = backend(1, "b", 4000);
  private final InetSocketAddress a2 = new InetSocketAddress("127.0.0.1", 3001);

  private static RouteAction.Backend backend(int index, String name, int... ports) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int p : ports) {
      endpoints.add(new Endpoint("127.0.0.1", p, 1));
    }
    return new RouteAction.Backend(index, UpstreamCluster.of(new Cluster(name, endpoints,
        UpstreamProtocol.HTTP1)), BackendFilters.NONE);
  }

  private SessionPolicy policy(SessionPersistence config, RouteAction.Backend... backends) {
    return new SessionPolicy(config, Arrays.asList(backends), "/app", now::get);
  }

  private static SessionPersistence cookie(String scope, Duration absolute, boolean permanent) {
    return new SessionPersistence(SessionPersistence.Type.COOKIE, "sid", scope, absolute,
        permanent);
  }

  private static HttpHeaders withCookie(String value) {
    return new DefaultHttpHeaders().add("Cookie", "other=1; sid=" + value + "; x=y");
  }

  @Test
  void aTokenItIssuedPinsTheSameEndpoint() {
    SessionPolicy p = policy(cookie("ns/r/rule/0", null, false), a, b);
    String token = p.token(a, a2, now.get());
    SessionPolicy.Pinned pinned = p.pinned(withCookie(token));
    assertThat(pinned).isNotNull();
    assertThat(pinned.backend()).isSameAs(a);
    assertThat(pinned.endpoint()).isEqualTo(a2);
  }

  @Test
  void aTokenOfAnotherRuleOrForAnEndpointOutsideTheClusterIsIgnored() {
    SessionPolicy p = policy(cookie("ns/r/rule/0", null, false), a, b);
    SessionPolicy other = policy(cookie("ns/r/rule/1", null, false), a, b);
    assertThat(p.pinned(withCookie(other.token(a, a2, now.get())))).isNull();
    InetSocketAddress foreign = new InetSocketAddress("127.0.0.1", 9999);
    assertThat(p.pinned(withCookie(p.token(a, foreign, now.get())))).isNull();
    assertThat(p.pinned(withCookie(p.token(b, a2, now.get())))).as("a's endpoint under b")
        .isNull();
    assertThat(p.pinned(withCookie("not-base64!"))).isNull();
    assertThat(p.pinned(new DefaultHttpHeaders())).isNull();
  }

  @Test
  void aRemovedOrRenamedBackendEndsTheSession() {
    SessionPolicy before = policy(cookie("s", null, false), a, b);
    String token = before.token(b, new InetSocketAddress("127.0.0.1", 4000), now.get());
    assertThat(policy(cookie("s", null, false), a, null).pinned(withCookie(token))).isNull();
    assertThat(policy(cookie("s", null, false), a, backend(1, "c", 4000))
        .pinned(withCookie(token))).isNull();
    assertThat(policy(cookie("s", null, false), a, backend(1, "b", 4001))
        .pinned(withCookie(token))).isNull();
  }

  @Test
  void theAbsoluteTimeoutEndsTheSession() {
    SessionPolicy p = policy(cookie("s", Duration.ofMinutes(5), false), a);
    String token = p.token(a, a2, now.get());
    now.addAndGet(Duration.ofMinutes(5).toMillis() - 1);
    assertThat(p.pinned(withCookie(token))).isNotNull();
    now.addAndGet(1);
    assertThat(p.pinned(withCookie(token))).isNull();
  }

  @Test
  void cookiesCarryPathHttpOnlyAndMaxAgeOnlyWhenPermanent() {
    HttpHeaders session = new DefaultHttpHeaders();
    policy(cookie("s", Duration.ofMinutes(5), false), a).issue(a, a2, false).applyTo(session);
    assertThat(session.get("Set-Cookie")).startsWith("sid=")
        .endsWith("; Path=/app; HttpOnly; SameSite=Strict").doesNotContain("Max-Age");
    HttpHeaders permanent = new DefaultHttpHeaders();
    policy(cookie("s", Duration.ofMinutes(5), true), a).issue(a, a2, true).applyTo(permanent);
    assertThat(permanent.get("Set-Cookie"))
        .endsWith("; Path=/app; Max-Age=300; Secure; HttpOnly; SameSite=Strict");
  }

  @Test
  void headerSessionsTravelInTheNamedHeader() {
    SessionPolicy p = policy(new SessionPersistence(SessionPersistence.Type.HEADER, "x-session",
        "s", null, false), a, b);
    HttpHeaders response = new DefaultHttpHeaders();
    p.issue(b, new InetSocketAddress("127.0.0.1", 4000), false).applyTo(response);
    String token = response.get("x-session");
    assertThat(token).isNotEmpty();
    assertThat(response.contains("Set-Cookie")).isFalse();
    SessionPolicy.Pinned pinned = p.pinned(new DefaultHttpHeaders().add("x-session", token));
    assertThat(pinned).isNotNull();
    assertThat(pinned.backend()).isSameAs(b);
    assertThat(p.pinned(withCookie(token))).as("not read from a cookie").isNull();
  }

  @Test
  void aSessionOutlivesItsBackendsWeightDroppingToZero() {
    Cluster ca = new Cluster("a", List.of(new Endpoint("127.0.0.1", 3000, 1)),
        UpstreamProtocol.HTTP1);
    Cluster cb = new Cluster("b", List.of(new Endpoint("127.0.0.1", 4000, 1)),
        UpstreamProtocol.HTTP1);
    SessionPersistence config = cookie("s", null, false);
    RouteAction.Forward f = (RouteAction.Forward) RouteAction.of(new Action.Forward(List.of(
        new WeightedCluster("a", 1), new WeightedCluster("b", 0)), 0, config),
        Map.of("a", ca, "b", cb), UpstreamCluster::of, "/");
    assertThat(f.backends()).hasSize(1);
    InetSocketAddress bEndpoint = new InetSocketAddress("127.0.0.1", 4000);
    String token = f.session().token(backend(1, "b", 4000), bEndpoint, System.currentTimeMillis());
    SessionPolicy.Pinned pinned = f.session().pinned(withCookie(token));
    assertThat(pinned).isNotNull();
    assertThat(pinned.backend().cluster().name()).isEqualTo("b");
    assertThat(pinned.endpoint()).isEqualTo(bEndpoint);
  }

  @Test
  void cookiePathFollowsTheRouteMatch() {
    assertThat(RouteTable.cookiePath(new PathMatch.Prefix("/"))).isEqualTo("/");
    assertThat(RouteTable.cookiePath(new PathMatch.Prefix("/shop"))).isEqualTo("/shop");
    assertThat(RouteTable.cookiePath(new PathMatch.Exact("/login"))).isEqualTo("/login");
    assertThat(RouteTable.cookiePath(new PathMatch.Regex("/p1/p2/.*/p3"))).isEqualTo("/p1/p2/");
    assertThat(RouteTable.cookiePath(new PathMatch.Regex("^/api"))).isEqualTo("/");
  }
}
