package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebSocketUpgradeTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "valid                    | GET  | 1.1 | Upgrade            | websocket       | " + KEY
          + " | 13 |   | true",
      "tokens in lists, case    | GET  | 1.1 | keep-alive,UPGRADE | h2c, WebSocket  | " + KEY
          + " | 13 |   | true",
      "POST                     | POST | 1.1 | Upgrade            | websocket       | " + KEY
          + " | 13 |   | false",
      "HTTP/1.0                 | GET  | 1.0 | Upgrade            | websocket       | " + KEY
          + " | 13 |   | false",
      "no Connection: upgrade   | GET  | 1.1 | keep-alive         | websocket       | " + KEY
          + " | 13 |   | false",
      "Upgrade: h2c only        | GET  | 1.1 | Upgrade            | h2c             | " + KEY
          + " | 13 |   | false",
      "no key                   | GET  | 1.1 | Upgrade            | websocket       |             | 13 |   | false",
      "key of 15 bytes          | GET  | 1.1 | Upgrade            | websocket       | AAAAAAAAAAAAAAAAAAAA | 13 | | false",
      "key not base64           | GET  | 1.1 | Upgrade            | websocket       | !!!!!!!!!!!!!!!!!!!!!!== | 13 | | false",
      "version 8                | GET  | 1.1 | Upgrade            | websocket       | " + KEY
          + " | 8  |   | false",
      "with a body              | GET  | 1.1 | Upgrade            | websocket       | " + KEY
          + " | 13 | 5 | false",
      "empty body               | GET  | 1.1 | Upgrade            | websocket       | " + KEY
          + " | 13 | 0 | true",
  })
  void recognisesHandshakes(String name, String method, String version, String connection,
      String upgrade, String key, String wsVersion, String contentLength, boolean expected) {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.valueOf("HTTP/" + version),
        HttpMethod.valueOf(method), "/ws");
    req.headers().set("Connection", connection).set("Upgrade", upgrade)
        .set("Sec-WebSocket-Version", wsVersion);
    if (key != null) {
      req.headers().set("Sec-WebSocket-Key", key);
    }
    if (contentLength != null) {
      req.headers().set("Content-Length", contentLength);
    }
    assertThat(WebSocketUpgrade.isHandshake(req)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "valid             | 101 | Upgrade | websocket | yes | true",
      "200               | 200 | Upgrade | websocket | yes | false",
      "upgrade to h2c    | 101 | Upgrade | h2c       | yes | false",
      "no accept         | 101 | Upgrade | websocket |     | false",
      "no Connection     | 101 | close   | websocket | yes | false",
  })
  void recognisesAcceptances(String name, int status, String connection, String upgrade,
      String accept, boolean expected) {
    HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status));
    res.headers().set("Connection", connection).set("Upgrade", upgrade);
    if (accept != null) {
      res.headers().set("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
    assertThat(WebSocketUpgrade.isAccepted(res)).isEqualTo(expected);
  }
}
