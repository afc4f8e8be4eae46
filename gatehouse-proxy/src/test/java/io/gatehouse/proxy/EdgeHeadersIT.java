package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.ClientIdentity;
import io.gatehouse.model.ClientIdentity.ForwardedFor;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.HeaderPolicy.UnderscoreAction;
import io.gatehouse.proxy.edge.RecordingUpstream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * SECURITY.md A10, B3, B4, B5 (HTTP/1.1) and B7 over the wire against {@link EdgeProxy}, asserting
 * on the exact bytes the upstreams receive. Clients connect from 127.0.0.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeHeadersIT {
  private static final ProxyOptions BASE = new ProxyOptions(0, 1, Duration.ofSeconds(2),
      Duration.ofSeconds(5));
  private static final List<String> SPOOFED = List.of("X-Forwarded-For: 1.2.3.4",
      "X-Real-IP: 1.2.3.4", "Forwarded: for=1.2.3.4;proto=https", "X-Forwarded-Proto: https",
      "X-Forwarded-Host: admin.internal", "x-gateway-authenticated-user: admin",
      "X-Gateway-Original-Path: /admin");

  private EdgeProxy edge;
  private EdgeProxy appending;
  private EdgeProxy dropping;

  @BeforeAll
  void start() throws IOException {
    edge = new EdgeProxy(BASE);
    appending = new EdgeProxy(BASE.withHeaders(HeaderPolicy.DEFAULT
        .withIdentity(new ClientIdentity(0, ForwardedFor.APPEND))));
    dropping = new EdgeProxy(BASE.withHeaders(HeaderPolicy.DEFAULT
        .withUnderscores(UnderscoreAction.DROP)));
  }

  @AfterAll
  void stop() {
    edge.close();
    appending.close();
    dropping.close();
  }

  @Test
  void b3SpoofedTrustHeadersAreReplacedByThePeer() throws IOException {
    String head = edge.get("edge.test", "/public/x", SPOOFED.toArray(String[]::new)).atP().get(0);
    assertThat(RecordingUpstream.values(head, "x-forwarded-for")).containsExactly("127.0.0.1");
    assertThat(RecordingUpstream.values(head, "x-forwarded-proto")).containsExactly("http");
    assertThat(RecordingUpstream.names(head)).doesNotContain("x-real-ip", "forwarded",
        "x-forwarded-host", "x-gateway-authenticated-user", "x-gateway-original-path");
  }

  @Test
  void b3AppendModeKeepsTheClientChainBeforeThePeer() throws IOException {
    String head = appending.get("edge.test", "/public/x", SPOOFED.toArray(String[]::new)).atP()
        .get(0);
    assertThat(RecordingUpstream.values(head, "x-forwarded-for"))
        .containsExactly("1.2.3.4, 127.0.0.1");
    assertThat(RecordingUpstream.values(head, "x-forwarded-proto")).containsExactly("http");
    assertThat(RecordingUpstream.names(head)).doesNotContain("x-real-ip", "forwarded",
        "x-forwarded-host", "x-gateway-authenticated-user", "x-gateway-original-path");
  }

  @Test
  void a10ConnectionCannotRemoveGatewayHeaders() throws IOException {
    EdgeProxy.Exchange e = edge.get("edge.test", "/gen",
        "Connection: close, X-Forwarded-For, X-Auth-User",
        "Connection: x-forwarded-proto, x-gateway-authenticated-user", "X-Auth-User: bob",
        "X-Gateway-Authenticated-User: mallory", "X-Forwarded-For: 6.6.6.6", "Keep-Alive: 5",
        "TE: trailers");
    assertThat(e.status()).isEqualTo(200);
    String head = e.atQ().get(0);
    assertThat(RecordingUpstream.values(head, "x-forwarded-for")).containsExactly("127.0.0.1");
    assertThat(RecordingUpstream.values(head, "x-forwarded-proto")).containsExactly("http");
    assertThat(RecordingUpstream.values(head, "x-gateway-authenticated-user"))
        .containsExactly("gateway-set");
    assertThat(RecordingUpstream.names(head)).doesNotContain("x-auth-user", "keep-alive", "te");
  }

  @Test
  void b4UnderscoreHeadersAreRejectedByDefault() throws IOException {
    for (String h : List.of("X_Forwarded_For: 10.0.0.1", "X-Auth_User: admin")) {
      EdgeProxy.Exchange e = edge.get("edge.test", "/public/x", h);
      assertThat(e.status()).as(h).isEqualTo(400);
      assertThat(e.atP()).isEmpty();
      assertThat(e.atQ()).isEmpty();
    }
  }

  @Test
  void b4DropModeRemovesUnderscoreHeaders() throws IOException {
    EdgeProxy.Exchange e = dropping.get("edge.test", "/public/x", "X_Forwarded_For: 10.0.0.1",
        "X-Auth_User: admin", "x-ok: 1");
    assertThat(e.status()).isEqualTo(200);
    String head = e.atP().get(0);
    assertThat(RecordingUpstream.names(head)).doesNotContain("x_forwarded_for", "x-auth_user")
        .contains("x-ok");
    assertThat(RecordingUpstream.values(head, "x-forwarded-for")).containsExactly("127.0.0.1");
  }

  @Test
  void b5TooManyHeadersAnswer431() throws IOException {
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < 100; i++) { // with Host: 101
      fields.add("x-h" + i + ": v");
    }
    EdgeProxy.Exchange e = edge.get("edge.test", "/public/x", fields.toArray(String[]::new));
    assertThat(e.status()).isEqualTo(431);
    assertThat(e.atP()).isEmpty();
    // 100 fields are fine.
    fields.remove(0);
    EdgeProxy.Exchange ok = edge.get("edge.test", "/public/x", fields.toArray(String[]::new));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(RecordingUpstream.names(ok.atP().get(0))).contains("x-h1", "x-h99");
  }

  @Test
  void b5OversizedHeaderBlocksAnswer431AndClose() throws IOException {
    String kib = "a".repeat(1024);
    List<String> block = new ArrayList<>();
    for (int i = 0; i < 61; i++) {
      block.add("x-big" + i + ": " + kib);
    }
    assertRejectedAndClosed(block);
    assertRejectedAndClosed(List.of("Cookie: c=" + "b".repeat(70 * 1024)));
    // Just under the limit passes, byte for byte.
    List<String> under = new ArrayList<>(block.subList(0, 55));
    EdgeProxy.Exchange ok = edge.get("edge.test", "/public/x", under.toArray(String[]::new));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(RecordingUpstream.values(ok.atP().get(0), "x-big54")).containsExactly(kib);
  }

  private void assertRejectedAndClosed(List<String> fields) throws IOException {
    int before = edge.p.heads().size();
    try (RawHttp c = edge.connect()) {
      c.send("GET /public/x HTTP/1.1\r\nHost: edge.test\r\n" + String.join("\r\n", fields)
          + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(431);
      assertThat(c.closedByPeerAfterDraining()).isTrue();
    }
    assertThat(edge.p.heads()).hasSize(before);
  }

  @Test
  void b7EveryFormOfAMultiValueHeaderIsDenied() throws IOException {
    List<List<String>> forms = List.of(List.of("x-role: user", "x-role: admin"),
        List.of("x-role: user,admin"), List.of("X-ROLE: user", "x-Role: admin"),
        List.of("X-Role: admin"), List.of("x-role: user , admin"));
    for (List<String> form : forms) {
      EdgeProxy.Exchange e = edge.get("edge.test", "/public/x", form.toArray(String[]::new));
      assertThat(e.status()).as(form.toString()).isEqualTo(403);
      assertThat(e.atP()).isEmpty();
    }
    // Values stay case-sensitive (Gateway API Exact); other values are not denied.
    for (String h : List.of("x-role: user", "x-role: Admin", "x-role: administrator")) {
      assertThat(edge.get("edge.test", "/public/x", h).atP()).as(h).hasSize(1);
    }
  }
}
