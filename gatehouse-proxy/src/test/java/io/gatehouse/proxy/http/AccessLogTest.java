package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"\u001b[31mred\u001b[0m", "a\"b", "back\\slash", "cr\rlf\nnul\u0000",
      "del\u007f", "caf\u00e9", "line\u2028sep", "emoji \ud83d\ude00", "lone \ud800 surrogate",
      "\"}\n{\"status\":200"})
  void everyValueStaysOnePrintableJsonString(String value) throws Exception {
    String quoted = AccessLog.quote(new StringBuilder(), value).toString();
    assertThat(quoted).matches("\"[\\x20-\\x7e]*\"");
    assertThat(JSON.readTree("{\"v\":" + quoted + "}").get("v").asText()).isEqualTo(value);
  }

  @Test
  void longValuesAreCut() throws Exception {
    String quoted = AccessLog.quote(new StringBuilder(), "\"".repeat(8192)).toString();
    assertThat(JSON.readTree(quoted).asText())
        .isEqualTo("\"".repeat(AccessLog.MAX_VALUE) + "...");
  }

  @Test
  void anEntryIsOneLineWrittenOnceWithTheFinalStatusAndBodyBytes() throws Exception {
    List<String> lines = new ArrayList<>();
    AccessLog log = new AccessLog(lines::add);
    // Unvalidated headers: what any codec lets through must still make a valid line.
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        "/a/../b?q=1", Unpooled.EMPTY_BUFFER,
        DefaultHttpHeadersFactory.headersFactory().withValidation(false),
        DefaultHttpHeadersFactory.trailersFactory());
    req.headers().set("Host", "h\u001b.test").set("User-Agent", "ua\r\n{}");
    EmbeddedChannel ch = new EmbeddedChannel();
    AccessLog.Entry e = log.begin(ch, req);
    e.path("/b");
    e.route("r1");
    assertThat(e.onWrite(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.CONTINUE))).isFalse();
    assertThat(e.onWrite(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)))
        .isFalse();
    LastHttpContent body = new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[5]));
    assertThat(e.onWrite(body)).isTrue();
    body.release();
    e.finish();
    e.abort("late");
    assertThat(lines).hasSize(1);
    JsonNode n = JSON.readTree(lines.get(0));
    assertThat(n.get("method").asText()).isEqualTo("POST");
    assertThat(n.get("path").asText()).isEqualTo("/b");
    assertThat(n.get("status").asInt()).isEqualTo(200);
    assertThat(n.get("bytes").asLong()).isEqualTo(5);
    assertThat(n.get("route").asText()).isEqualTo("r1");
    assertThat(n.get("authority").asText()).isEqualTo("h\u001b.test");
    assertThat(n.get("user_agent").asText()).isEqualTo("ua\r\n{}");
    assertThat(n.get("reason").isNull()).isTrue();
    assertThat(n.get("protocol").asText()).isEqualTo("HTTP/1.1");
    req.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void anAbortedEntryKeepsTheFirstReason() throws Exception {
    List<String> lines = new ArrayList<>();
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    AccessLog.Entry e = new AccessLog(lines::add).begin(new EmbeddedChannel(), req);
    e.reason("route not found");
    e.abort("connection closed");
    JsonNode n = JSON.readTree(lines.get(0));
    assertThat(n.get("status").asInt()).isZero();
    assertThat(n.get("reason").asText()).isEqualTo("route not found");
    req.release();
  }

  @Test
  void countersKnowEveryReasonAndClassifyFramingFailures() {
    EdgeCounters c = new EdgeCounters();
    assertThat(c.snapshot()).containsEntry(EdgeCounters.CL_TE, 0L)
        .containsEntry(EdgeCounters.OVERLOAD, 0L);
    assertThat(EdgeCounters.reasonOf(400, new Http1Violation(400, Http1Violation.CL_TE)))
        .isEqualTo(EdgeCounters.CL_TE);
    assertThat(EdgeCounters.reasonOf(400, new Http1Violation(400, "malformed chunk size")))
        .isEqualTo(EdgeCounters.BAD_FRAMING);
    assertThat(EdgeCounters.reasonOf(431, null)).isEqualTo(EdgeCounters.HEADER_TOO_LARGE);
    assertThat(EdgeCounters.reasonOf(414, null)).isEqualTo(EdgeCounters.URI_TOO_LONG);
    c.increment(EdgeCounters.CL_TE);
    c.increment("other");
    assertThat(c.snapshot()).containsEntry(EdgeCounters.CL_TE, 1L).containsEntry("other", 1L);
  }
}
