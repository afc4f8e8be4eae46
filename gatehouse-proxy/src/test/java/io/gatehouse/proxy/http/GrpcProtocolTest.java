package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GrpcProtocolTest {
  @ParameterizedTest
  @CsvSource({"1H, PT1H", "2M, PT2M", "30S, PT30S", "250m, PT0.25S", "1500u, PT0.0015S",
      "7n, PT0.000000007S", "99999999m, PT27H46M39.999S", "0m, PT0S", "00000001S, PT1S"})
  void timeoutsParseInEveryUnit(String value, Duration expected) {
    assertThat(GrpcProtocol.parseTimeout(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "m", "5", "123456789m", "-1S", "1.5S", "1s", "1h", "1 S", " 1S",
      "1Sx", "S1", "+1S", "1d", "1\u0661S"})
  void malformedTimeoutsAreIgnored(String value) {
    assertThat(GrpcProtocol.parseTimeout(value)).isNull();
  }

  @Test
  void anAbsentTimeoutIsNone() {
    assertThat(GrpcProtocol.parseTimeout(null)).isNull();
  }

  @ParameterizedTest
  @CsvSource({"PT0.25S, 250000u", "PT1S, 1000000u", "PT30S, 30000000u", "PT100S, 100000m",
      "PT0.000000007S, 7n", "PT2H, 7200000m", "PT1000000H, 60000000M", "PT0S, 0n"})
  void timeoutsAreFormattedInEightDigitsRoundedUp(Duration d, String expected) {
    assertThat(GrpcProtocol.formatTimeout(d)).isEqualTo(expected);
    assertThat(GrpcProtocol.parseTimeout(expected)).isGreaterThanOrEqualTo(d);
  }

  @Test
  void aFormattedTimeoutNeverUndercuts() {
    Duration d = Duration.ofNanos(123_456_789_123L);
    String v = GrpcProtocol.formatTimeout(d);
    assertThat(v).isEqualTo("123457m"); // 123,456,790 us would be nine digits
  }

  @ParameterizedTest
  @CsvSource({"400, 13", "401, 16", "403, 7", "404, 12", "429, 14", "502, 14", "503, 14",
      "504, 4", "413, 2", "431, 2", "421, 2", "500, 2", "501, 2"})
  void httpStatusesMapToGrpcStatuses(int http, int grpc) {
    assertThat(GrpcProtocol.statusOf(http)).isEqualTo(grpc);
  }

  @ParameterizedTest
  @CsvSource({"application/grpc, true", "application/grpc+proto, true",
      "application/grpc+json, true", "application/grpc; charset=utf-8, true",
      "Application/GRPC, true", "application/grpc-web, false", "application/grpc-web+proto, false",
      "application/json, false", "application/grpcx, false", "text/plain, false"})
  void grpcRequestsAreRecognisedByContentType(String type, boolean grpc) {
    HttpHeaders h = new DefaultHttpHeaders().set("content-type", type);
    assertThat(GrpcProtocol.isGrpc(h)).isEqualTo(grpc);
  }

  @Test
  void aRequestWithoutContentTypeIsNotGrpc() {
    assertThat(GrpcProtocol.isGrpc(new DefaultHttpHeaders())).isFalse();
  }

  @Test
  void messagesArePercentEncodedUtf8() {
    assertThat(GrpcProtocol.encodeMessage("route not found")).isEqualTo("route not found");
    assertThat(GrpcProtocol.encodeMessage("100% é\n")).isEqualTo("100%25 %C3%A9%0A");
    assertThat(GrpcProtocol.encodeMessage("\u007f~")).isEqualTo("%7F~");
  }

  @Test
  void aLocalReplyIsTrailersOnly() {
    FullHttpResponse r = GrpcProtocol.localReply(503, "no healthy upstream");
    try {
      assertThat(r.status().code()).isEqualTo(200);
      assertThat(r.content().readableBytes()).isZero();
      assertThat(r.trailingHeaders().isEmpty()).isTrue();
      assertThat(r.headers().get("content-type")).isEqualTo("application/grpc");
      assertThat(r.headers().get("grpc-status")).isEqualTo("14");
      assertThat(r.headers().get("grpc-message")).isEqualTo("no healthy upstream");
      assertThat(r.headers().contains("content-length")).isFalse();
    } finally {
      r.release();
    }
  }

  @Test
  void deadlineTrailersCarryTheStatus() {
    LastHttpContent t = GrpcProtocol.trailers(4, "upstream request timeout");
    assertThat(t.trailingHeaders().get("grpc-status")).isEqualTo("4");
    assertThat(t.trailingHeaders().get("grpc-message")).isEqualTo("upstream request timeout");
    t.release();
  }
}
