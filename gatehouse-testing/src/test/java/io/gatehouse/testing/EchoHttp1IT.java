package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** The echo server over HTTP/1.1 with the JDK client, on loopback. */
class EchoHttp1IT {

  private static final String POD = "infra-backend-v1-7c9d8b5f6d-x2x9z";
  private static final String NAMESPACE = "gateway-conformance-infra";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static EchoExtension echo = EchoExtension.pod(POD, NAMESPACE);

  private static HttpClient client;

  @BeforeAll
  static void startClient() {
    LeakReports.install();
    client = newClient();
  }

  @AfterAll
  static void checkLeaks() throws InterruptedException {
    client.close();
    LeakReports.assertNone();
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + echo.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void echoesTheRequestAsJsonInEchoBasicFieldOrder() throws Exception {
    HttpResponse<String> response = send(request("/foo/bar?x=1&y=%20").header("x-header-set", "a"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValueAsLong("Content-Length"))
        .hasValue(response.body().length());
    JsonNode body = JSON.readTree(response.body());
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("path", "host", "method", "proto", "headers", "httpPort",
        "namespace", "ingress",
        "service", "pod");
    assertThat(body.get("path").asText()).isEqualTo("/foo/bar?x=1&y=%20");
    assertThat(body.get("host").asText()).isEqualTo("127.0.0.1:" + echo.port());
    assertThat(body.get("method").asText()).isEqualTo("GET");
    assertThat(body.get("proto").asText()).isEqualTo("HTTP/1.1");
    assertThat(body.get("httpPort").asText()).isEqualTo(Integer.toString(echo.port()));
    assertThat(body.get("namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(body.get("ingress").asText()).isEmpty();
    assertThat(body.get("service").asText()).isEmpty();
    assertThat(body.get("pod").asText()).isEqualTo(POD);
    assertThat(body.get("headers").get("X-Header-Set").toString()).isEqualTo("[\"a\"]");
    assertThat(body.get("headers").has("Host")).isFalse();
    assertThat(body.get("headers").has("x-header-set")).isFalse();
  }

  @Test
  void keepsMultipleValuesAndCanonicalContentLength() throws Exception {
    HttpResponse<String> response = send(
        request("/multi").header("X-Multi", "a").header("x-multi", "b")
            .POST(HttpRequest.BodyPublishers.ofString("hello")));

    JsonNode headers = JSON.readTree(response.body()).get("headers");
    assertThat(headers.get("X-Multi").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(headers.get("Content-Length").toString()).isEqualTo("[\"5\"]");
    assertThat(JSON.readTree(response.body()).get("method").asText()).isEqualTo("POST");
  }

  @Test
  void sends100ContinueWhenAskedAndAnswersHeadWithoutBody() throws Exception {
    try (RawHttp1Connection connection = RawHttp1Connection.open(echo.address())) {
      connection.write("POST /expect HTTP/1.1\r\nHost: raw\r\nContent-Length: 2\r\n"
          + "Expect: 100-continue\r\n\r\n");
      assertThat(connection.readUntil("\r\n\r\n")).startsWith("HTTP/1.1 100 Continue\r\n");
      connection.write("ok");
      assertThat(connection.readUntil("\"pod\"")).startsWith("HTTP/1.1 200 OK\r\n")
          .contains("\"path\": \"/expect\"");
    }
    HttpResponse<String> head = send(
        request("/head").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void discardsLargeRequestBodies() throws Exception {
    HttpResponse<String> response = send(request("/big")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4 << 20])));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("headers").get("Content-Length").toString())
        .isEqualTo("[\"4194304\"]");
  }

  @Test
  void setsResponseHeadersFromXEchoSetHeader() throws Exception {
    HttpResponse<String> response = send(
        request("/").header("X-Echo-Set-Header", "X-Foo: one, X-Bar:two,,X-Foo:three"));

    assertThat(response.headers().allValues("X-Foo")).containsExactly("one,three");
    assertThat(response.headers().allValues("X-Bar")).containsExactly("two");
    assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
  }

  @Test
  void delaysTheAnswer() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = send(request("/slow?delay=500ms"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(send(request("/?delay=later")).statusCode()).isEqualTo(500);
  }

  @Test
  void answersHealthAndStatusRoutes() throws Exception {
    HttpResponse<String> health = send(request("/health"));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("OK");
    assertThat(send(request("/status/418")).statusCode()).isEqualTo(418);
    assertThat(send(request("/status/abc")).statusCode()).isEqualTo(400);
    assertThat(send(request("/status/418?x=1")).statusCode()).isEqualTo(400);
  }

  @Test
  void retrySimulatorAnswersResponseCodeUntilSucceedAfter() throws Exception {
    String uri = "/retry/status?uuid=" + UUID.randomUUID()
        + "&succeedAfter=2&responseCode=503&delayRetry=10ms";

    assertThat(send(request(uri)).statusCode()).isEqualTo(503);
    assertThat(send(request(uri)).statusCode()).isEqualTo(503);
    HttpResponse<String> third = send(request(uri));
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(third.body()).get("path").asText()).isEqualTo(uri);
    assertThat(send(request("/retry/status?succeedAfter=1")).statusCode()).isEqualTo(400);
  }

  @Test
  void retrySimulatorAbortSurfacesAsIOExceptionInTheJdkClient() {
    // succeedAfter=2: the JDK client silently retries a GET once when the connection dies before
    // any response byte, so two failures are needed for the caller to see one.
    String uri = "/retry/reset?uuid=" + UUID.randomUUID() + "&succeedAfter=2";
    try (HttpClient fresh = newClient()) {
      assertThatExceptionOfType(IOException.class)
          .isThrownBy(() -> fresh.send(request(uri).build(), HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void retrySimulatorAbortsWithTcpResetThenEchoes() throws Exception {
    String uri = "/retry/reset?uuid=" + UUID.randomUUID() + "&succeedAfter=1";
    try (RawHttp1Connection connection = RawHttp1Connection.open(echo.address())) {
      connection.write("GET " + uri + " HTTP/1.1\r\nHost: raw\r\n\r\n");
      // A FIN would read as end of stream; only a RST fails the read.
      assertThatExceptionOfType(SocketException.class).isThrownBy(connection::readAll)
          .withMessageContaining("reset");
    }
    try (RawHttp1Connection connection = RawHttp1Connection.open(echo.address())) {
      connection.write("GET " + uri + " HTTP/1.1\r\nHost: raw\r\nConnection: close\r\n\r\n");
      assertThat(connection.readAll()).startsWith("HTTP/1.1 200 OK\r\n");
    }
  }

  @Test
  void keepsEchoSetHeaderNameCaseOnTheWire() throws Exception {
    try (RawHttp1Connection connection = RawHttp1Connection.open(echo.address())) {
      connection.write("GET / HTTP/1.1\r\nHost: raw\r\nConnection: close\r\n"
          + "X-Echo-Set-Header: x-lower:1,X-MiXeD:2\r\n\r\n");
      String response = connection.readAll();
      assertThat(response).contains("\r\nx-lower: 1\r\n", "\r\nX-MiXeD: 2\r\n",
          "\r\nContent-Type: application/json\r\n", "\r\nconnection: close\r\n");
    }
  }

  @Test
  void answersPipelinedRequestsInOrderEvenWhenTheFirstIsDelayed() throws Exception {
    try (RawHttp1Connection connection = RawHttp1Connection.open(echo.address())) {
      connection.write("GET /first?delay=300ms HTTP/1.1\r\nHost: raw\r\n\r\n"
          + "GET /second HTTP/1.1\r\nHost: raw\r\nConnection: close\r\n\r\n");
      String responses = connection.readAll();
      assertThat(responses.indexOf("\"path\": \"/first?delay=300ms\"")).isNotNegative()
          .isLessThan(responses.indexOf("\"path\": \"/second\""));
    }
  }

  @Test
  void discardsRequestBodiesOnKeptAliveConnections() throws Exception {
    try (RawHttp1Connection connection = RawHttp1Connection.open(echo.address())) {
      connection.write("POST /one HTTP/1.1\r\nHost: raw\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n"
          + "POST /two HTTP/1.1\r\nHost: raw\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
      String responses = connection.readAll();
      assertThat(responses).contains("\"path\": \"/one\"", "\"path\": \"/two\"");
      assertThat(responses).doesNotContain("Transfer-Encoding\": [");
    }
  }

  @Test
  void recordsAndLogsEchoedRequests() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(EchoResponder.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    String uri = "/mirror?gateway-api-conformance-request-id=" + UUID.randomUUID();
    try {
      send(request(uri));
    } finally {
      logger.setLevel(level);
      logger.detachAppender(appender);
    }

    assertThat(echo.server().requests()).anySatisfy(entry -> {
      assertThat(entry.uri()).isEqualTo(uri);
      assertThat(entry.method()).isEqualTo("GET");
      assertThat(entry.remoteAddress()).startsWith("127.0.0.1:");
    });
    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.matches(
            "Echoing back request made to \\Q" + uri + "\\E to client \\(127\\.0\\.0\\.1:\\d+\\)"));
  }
}
