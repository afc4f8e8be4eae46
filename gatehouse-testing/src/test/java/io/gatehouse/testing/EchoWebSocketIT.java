package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The echo server's {@code /ws} WebSocket echo with the JDK WebSocket client, on loopback. */
class EchoWebSocketIT {

  @RegisterExtension
  static EchoExtension echo = EchoExtension.pod("infra-backend-v1-7c9d8b5f6d-x2x9z",
      "gateway-conformance-infra");

  private static HttpClient client;

  @BeforeAll
  static void startClient() {
    LeakReports.install();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void checkLeaks() throws InterruptedException {
    client.close();
    LeakReports.assertNone();
  }

  @Test
  void echoesTextAndBinaryMessages() throws Exception {
    LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    WebSocket ws = client.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + echo.port() + "/ws"), collector(received))
        .get(10, TimeUnit.SECONDS);

    ws.sendText("Websocket Support!", true).get(10, TimeUnit.SECONDS);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("Websocket Support!");
    ws.sendBinary(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7}), true)
        .get(10, TimeUnit.SECONDS);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new byte[]{1, 2, 3, 4, 5, 6, 7});
    ws.sendPing(ByteBuffer.wrap(new byte[]{9})).get(10, TimeUnit.SECONDS);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("pong");

    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("close " + WebSocket.NORMAL_CLOSURE);
  }

  @Test
  void plainRequestToWsIsRejected() throws Exception {
    HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + echo.port() + "/ws")).version(
            HttpClient.Version.HTTP_1_1)
        .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
  }

  /** Puts each text as a String, each binary message as a byte[], pongs and closes as words. */
  private static WebSocket.Listener collector(LinkedBlockingQueue<Object> received) {
    return new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        received.add(data.toString());
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        received.add(bytes);
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        received.add("pong");
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        received.add("close " + statusCode);
        return CompletableFuture.completedFuture(null);
      }
    };
  }
}
