package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CompareRoundTrip on canned responses. */
class RoundTripTest {
  private static JsonNode yaml(String s) throws Exception {
    return Yaml.MAPPER.readTree(s);
  }

  private static HttpExchange.Response echo(String pod, String path, Map<String, List<String>> h) {
    String body = "{\"path\":\"" + path + "\",\"host\":\"10.0.0.1\",\"method\":\"GET\","
        + "\"headers\":{\"X-Echo-Set-Header\":[\"\"],\"Version\":[\"one\"]},"
        + "\"namespace\":\"infra\",\"pod\":\"" + pod + "\"}";
    var headers = new java.util.LinkedHashMap<String, List<String>>(h);
    headers.put("content-type", List.of("application/json"));
    return new HttpExchange.Response(200, "HTTP/1.1", headers,
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpExchange.Response plain(int status, Map<String, List<String>> headers) {
    return new HttpExchange.Response(status, "HTTP/1.1", headers, new byte[0]);
  }

  private static final String CASE = """
      request: {method: GET, path: /v2, headers: {Version: one}}
      expectedRequest: {method: GET, path: /v2, headers: {Version: one}}
      response: {statusCodes: [200]}
      backend: infra-backend-v2
      namespace: infra
      """;

  @Test
  void matchingEchoPasses() throws Exception {
    assertThat(RoundTrip.compare(yaml(CASE), echo("infra-backend-v2-abc-de", "/v2", Map.of()),
        "/v2", "/v2", "http")).isNull();
  }

  @Test
  void wrongBackendPathAndHeaderAreNamed() throws Exception {
    assertThat(RoundTrip.compare(yaml(CASE), echo("infra-backend-v1-abc-de", "/v2", Map.of()),
        "/v2", "/v2", "http")).contains("expected pod of infra-backend-v2");
    assertThat(RoundTrip.compare(yaml(CASE), echo("infra-backend-v2-abc-de", "/v2/", Map.of()),
        "/v2", "/v2", "http")).contains("expected path /v2, backend saw \"/v2/\"");
    JsonNode wantsHeader = yaml(CASE.replace("headers: {Version: one}}\nresponse",
        "headers: {Version: two}}\nresponse"));
    assertThat(RoundTrip.compare(wantsHeader, echo("infra-backend-v2-abc-de", "/v2", Map.of()),
        "/v2", "/v2", "http")).contains("expected request header Version: two, backend got one");
  }

  @Test
  void gatewayAnswerHasNoCapturedRequest() throws Exception {
    JsonNode c = yaml("""
        request: {method: GET, path: /}
        response: {statusCodes: [500]}
        backend: ''
        namespace: ''
        """);
    assertThat(RoundTrip.compare(c, plain(500, Map.of()), "/", "/", "http")).isNull();
    assertThat(RoundTrip.compare(c, plain(200, Map.of()), "/", "/", "http"))
        .startsWith("expected status 500, got 200");
  }

  @Test
  void timeoutCodesAreInterchangeable() throws Exception {
    JsonNode c = yaml("{request: {path: /}, response: {statusCodes: [504]}}");
    assertThat(RoundTrip.compare(c, plain(408, Map.of()), "/", "/", "http")).isNull();
  }

  @Test
  void redirectIsParsedFromLocation() throws Exception {
    JsonNode c = yaml("""
        request: {path: /r, unfollowRedirect: true}
        response: {statusCodes: [302]}
        redirect: {scheme: http, host: example.org, port: null, path: /r}
        """);
    assertThat(RoundTrip.compare(c, plain(302, Map.of("location",
        List.of("http://example.org/r"))), "/r", "/r", "http")).isNull();
    assertThat(RoundTrip.compare(c, plain(302, Map.of("location",
        List.of("http://example.org:80/r"))), "/r", "/r", "http")).isNull();
    assertThat(RoundTrip.compare(c, plain(302, Map.of("location",
        List.of("http://example.org:8080/r"))), "/r", "/r", "http"))
        .contains("expected no redirect port");
    assertThat(RoundTrip.compare(c, plain(302, Map.of("location",
        List.of("http://example.com/r"))), "/r", "/r", "http"))
        .contains("expected redirect host example.org");
  }
}
