package io.gatehouse.standalone.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.model.ClientIdentity;
import io.gatehouse.model.ConnectionLimits;
import io.gatehouse.model.EdgeTimeouts;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.Http1Policy;
import io.gatehouse.model.OverloadGuard;
import io.gatehouse.model.PathPolicy;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.http.Http2Limits;
import io.gatehouse.proxy.http.PeerPenalty;
import io.gatehouse.proxy.udp.UdpLimits;
import io.gatehouse.proxy.tls.ServerTlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsFileTest {
  /** Every field set to a value other than its default. */
  static final String EVERY_FIELD = """
      proxy:
        portOffset: 10000
        workers: 3
        connectTimeout: 2s
        drainTimeout: 0s
      http1:
        maxRequestTarget: 8Ki
        maxChunkLine: 100
        absoluteForm: false
      http2:
        maxConcurrentStreams: 50
        initialStreamWindow: 128Ki
        connectionWindow: 2Mi
        maxHeaderListSize: 32k
        maxQueuedControlFrames: 500
        maxConsecutiveEmptyDataFrames: 2
        maxResetsPerWindow: 100
        resetWindow: 1m
        maxSmallContinuationFrames: 8
        maxPriorityFramesPerStream: 50
        maxWindowUpdatesPerDataFrame: 5
        prematureResetMinStreams: 200
        prematureResetLifetime: 1.5s
      paths:
        mergeSlashes: false
        escapedSlashes: unescape_and_redirect
        allowSemicolons: true
      headers:
        underscores: DROP
        maxCount: 20
        maxBytes: 8192
        trustedHops: 2
        forwardedFor: APPEND
      timeouts:
        requestHeaders: 500ms
        idle: 1h30m
        streamIdle: 90s
        upstreamReadIdle: 2m
      connections:
        perListener: 100
        processWide: 1000
        writeBufferHigh: 64Ki
        writeBufferLow: 1Ki
      overload:
        shrinkAt: 0.5
        stopAt: 0.9
        interval: 1s
      penalty:
        enabled: false
        initial: 2s
        max: 1m
        maxAddresses: 1000
      udp:
        sessionIdle: 30s
        maxSessions: 500
      tls:
        sessionResumption: false
      """;

  static final ProxyOptions EVERY_FIELD_OPTIONS = new ProxyOptions(10000, 3, Duration.ofSeconds(2),
      Duration.ZERO, new Http2Limits(50, 128 << 10, 2 << 20, 32_000, 500, 2, 100, 60, 8, 50, 5,
          200, 1500),
      new Http1Policy(8192, 100, false),
      new PathPolicy(false, PathPolicy.EscapedSlashes.UNESCAPE_AND_REDIRECT, true),
      new HeaderPolicy(HeaderPolicy.UnderscoreAction.DROP,
          new ClientIdentity(2, ClientIdentity.ForwardedFor.APPEND), 20, 8192),
      new EdgeTimeouts(Duration.ofMillis(500), Duration.ofMinutes(90), Duration.ofSeconds(90),
          Duration.ofMinutes(2)),
      new ConnectionLimits(100, 1000, 64 << 10, 1 << 10),
      new OverloadGuard(0.5, 0.9, Duration.ofSeconds(1)),
      new UdpLimits(Duration.ofSeconds(30), 500), new ServerTlsOptions(false),
      new PeerPenalty(false, Duration.ofSeconds(2), Duration.ofMinutes(1), 1000));

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "# nothing set yet\n", "timeouts:\n", "proxy: {}\nhttp2:\n"})
  void absentFieldsAreTheDefaults(String yaml) {
    assertThat(SettingsFile.parse("settings.yaml", yaml)).isEqualTo(ProxyOptions.defaults());
  }

  @Test
  void everyFieldIsRead() {
    assertThat(SettingsFile.parse("settings.yaml", EVERY_FIELD)).isEqualTo(EVERY_FIELD_OPTIONS);
  }

  @Test
  void oneFieldChangesOnlyThatField() {
    assertThat(SettingsFile.parse("s.yaml", "headers:\n  maxCount: 20\n")).isEqualTo(
        ProxyOptions.defaults().withHeaders(new HeaderPolicy(HeaderPolicy.UnderscoreAction.REJECT,
            ClientIdentity.DEFAULT, 20, 60 * 1024)));
  }

  @Test
  void thePenaltyIsOnByDefaultAndCanBeTurnedOff() {
    assertThat(ProxyOptions.defaults().penalty()).isEqualTo(PeerPenalty.defaults());
    assertThat(PeerPenalty.defaults().enabled()).isTrue();
    assertThat(SettingsFile.parse("s.yaml", "penalty:\n  enabled: false\n"))
        .isEqualTo(ProxyOptions.defaults().withPenalty(PeerPenalty.disabled()));
    assertThat(SettingsFile.toYaml(ProxyOptions.defaults())).contains(
        "penalty:\n  enabled: true\n  initial: 10s\n  max: 5m\n  maxAddresses: 100000\n");
  }

  @Test
  void sessionResumptionIsOnByDefaultAndCanBeTurnedOff() {
    assertThat(ProxyOptions.defaults().tls().sessionResumption()).isTrue();
    assertThat(SettingsFile.parse("s.yaml", "tls:\n  sessionResumption: false\n")).isEqualTo(
        ProxyOptions.defaults().withTls(new ServerTlsOptions(false)));
    assertThat(SettingsFile.toYaml(ProxyOptions.defaults()))
        .endsWith("tls:\n  sessionResumption: true\n");
  }

  @Test
  void writtenSettingsReadBackEqual() {
    for (ProxyOptions options : new ProxyOptions[]{ProxyOptions.defaults(), EVERY_FIELD_OPTIONS}) {
      assertThat(SettingsFile.parse("printed", SettingsFile.toYaml(options))).isEqualTo(options);
    }
  }

  @Test
  void defaultsAreWrittenInTheirShortestForm() {
    assertThat(SettingsFile.toYaml(ProxyOptions.defaults())).contains(
        "proxy:\n  portOffset: 0\n  workers: 0\n  connectTimeout: 5s\n  drainTimeout: 30s\n",
        "  maxBytes: 60Ki\n", "  connectionWindow: 1Mi\n", "  maxQueuedControlFrames: 1000\n",
        "  requestHeaders: 10s\n  idle: 1h\n  streamIdle: 5m\n  upstreamReadIdle: 1m\n",
        "  escapedSlashes: REJECT\n", "  shrinkAt: 0.95\n", "  interval: 250ms\n",
        "  prematureResetLifetime: 1s\n");
  }

  @Test
  void theExampleFileHoldsTheDefaults() {
    Path example = Path.of(System.getProperty("user.dir")).getParent()
        .resolve("examples/settings.yaml");
    assertThat(SettingsFile.load(example)).isEqualTo(ProxyOptions.defaults());
  }

  /**
   * A record component added to any of the settings records must get a settings field (or this test
   * is updated with a reason): settings are never silently left out of the file.
   */
  @Test
  void everyRecordComponentIsASetting() {
    assertThat(leaves(SettingsFile.toTree(ProxyOptions.defaults())))
        .isEqualTo(components(ProxyOptions.class));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("timeouts:\n  requestHeaders: 10x\n",
            "settings.yaml: timeouts.requestHeaders: \"10x\" is not a duration (examples: 10s, "
                + "500ms, 1h)"),
        Arguments.of("timeouts:\n  requestHeaders: 10\n",
            "settings.yaml: timeouts.requestHeaders: 10 is not a duration (examples: 10s, 500ms, "
                + "1h)"),
        Arguments.of("timeouts:\n  idle: 0s\n",
            "settings.yaml: timeouts.idle: \"0s\" must be more than 0s"),
        Arguments.of("proxy:\n  drainTimeout: -1s\n",
            "settings.yaml: proxy.drainTimeout: \"-1s\" must not be negative"),
        Arguments.of("timeouts:\n  requestHeader: 10s\n",
            "settings.yaml: timeouts.requestHeader: unknown field (known: requestHeaders, idle, "
                + "streamIdle, upstreamReadIdle)"),
        Arguments.of("timeout:\n  requestHeaders: 10s\n",
            "settings.yaml: timeout: unknown field (known: proxy, http1, http2, paths, headers, "
                + "timeouts, connections, overload, penalty, udp, tls)"),
        Arguments.of("tls:\n  sessionResumption: \"off\"\n",
            "settings.yaml: tls.sessionResumption: \"off\" is not a boolean (true or false)"),
        Arguments.of("tls:\n  sessionResumption: 0\n",
            "settings.yaml: tls.sessionResumption: 0 is not a boolean (true or false)"),
        Arguments.of("tls:\n  sessionTickets: false\n",
            "settings.yaml: tls.sessionTickets: unknown field (known: sessionResumption)"),
        Arguments.of("tls: false\n",
            "settings.yaml: tls: must be a mapping of fields (found a boolean)"),
        Arguments.of("headers:\n  maxCount: many\n",
            "settings.yaml: headers.maxCount: \"many\" is not an integer"),
        Arguments.of("headers:\n  maxCount: 1.5\n",
            "settings.yaml: headers.maxCount: 1.5 is not an integer"),
        Arguments.of("headers:\n  maxCount: 0\n",
            "settings.yaml: headers.maxCount: 0 is out of range (1 to 2147483647)"),
        Arguments.of("headers:\n  maxBytes: 64KB\n",
            "settings.yaml: headers.maxBytes: \"64KB\" is not a size (examples: 65536, 64Ki, 1Mi)"),
        Arguments.of("headers:\n  maxBytes: 512\n",
            "settings.yaml: headers.maxBytes: 512 is out of range (1024 to 2147483647)"),
        Arguments.of("headers:\n  maxBytes: 4Gi\n",
            "settings.yaml: headers.maxBytes: \"4Gi\" is out of range (1024 to 2147483647)"),
        Arguments.of("headers:\n  underscores: strip\n",
            "settings.yaml: headers.underscores: \"strip\" is not one of REJECT, DROP, ALLOW"),
        Arguments.of("headers:\n  trustedHops: 17\n",
            "settings.yaml: headers.trustedHops: 17 is out of range (0 to 16)"),
        Arguments.of("paths:\n  mergeSlashes: \"yes\"\n",
            "settings.yaml: paths.mergeSlashes: \"yes\" is not a boolean (true or false)"),
        Arguments.of("paths:\n  escapedSlashes: 1\n",
            "settings.yaml: paths.escapedSlashes: 1 is not one of REJECT, UNESCAPE_AND_REDIRECT, "
                + "KEEP"),
        Arguments.of("paths:\n  mergeSlashes:\n",
            "settings.yaml: paths.mergeSlashes: has no value (leave the field out for the "
                + "default)"),
        Arguments.of("paths: true\n",
            "settings.yaml: paths: must be a mapping of fields (found a boolean)"),
        Arguments.of("- proxy\n",
            "settings.yaml: the file must be a mapping of sections (found a list)"),
        Arguments.of("connections:\n  writeBufferLow: 64Ki\n",
            "settings.yaml: connections: writeBufferLow (64Ki) must not be more than "
                + "writeBufferHigh (32Ki)"),
        Arguments.of("overload:\n  shrinkAt: 0.99\n",
            "settings.yaml: overload: shrinkAt (0.99) must not be more than stopAt (0.98)"),
        Arguments.of("overload:\n  stopAt: 1.5\n",
            "settings.yaml: overload.stopAt: 1.5 is out of range (more than 0.0, at most 1.0)"),
        Arguments.of("overload:\n  stopAt: high\n",
            "settings.yaml: overload.stopAt: \"high\" is not a number (e.g. 0.95)"),
        Arguments.of("http2:\n  resetWindow: 1500ms\n",
            "settings.yaml: http2.resetWindow: must be whole seconds (e.g. 30s), not 1.5s"),
        Arguments.of("http2:\n  prematureResetLifetime: 1500us\n",
            "settings.yaml: http2.prematureResetLifetime: must be whole milliseconds (e.g. 1s, "
                + "500ms), not 1500us"),
        Arguments.of("http2:\n  connectionWindow: 1000\n",
            "settings.yaml: http2.connectionWindow: 1000 is out of range (65535 to 2147483647)"),
        Arguments.of("http1:\n  maxRequestTarget: 100\n",
            "settings.yaml: http1.maxRequestTarget: 100 is out of range (256 to 65536)"),
        Arguments.of("penalty:\n  max: 1s\n",
            "settings.yaml: penalty: max (1s) must not be less than initial (10s)"),
        Arguments.of("penalty:\n  initial: 0s\n",
            "settings.yaml: penalty.initial: \"0s\" must be more than 0s"),
        Arguments.of("penalty:\n  maxAddresses: 0\n",
            "settings.yaml: penalty.maxAddresses: 0 is out of range (1 to 2147483647)"),
        Arguments.of("penalty:\n  enabled: sometimes\n",
            "settings.yaml: penalty.enabled: \"sometimes\" is not a boolean (true or false)"),
        Arguments.of("proxy:\n  workers: -1\n",
            "settings.yaml: proxy.workers: -1 is out of range (0 to 4096)"),
        Arguments.of("proxy: {}\n---\nhttp1: {}\n",
            "settings.yaml: holds 2 YAML documents; settings are one document"));
  }

  @ParameterizedTest
  @MethodSource
  void invalid(String yaml, String message) {
    assertThatThrownBy(() -> SettingsFile.parse("settings.yaml", yaml))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessage(message);
  }

  @Test
  void duplicateFieldsAreRefused() {
    assertThatThrownBy(() -> SettingsFile.parse("settings.yaml", "proxy:\n  workers: 2\n"
        + "  workers: 3\n"))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("settings.yaml: not valid YAML: Duplicate field 'workers'")
        .hasMessageContaining("(line 3, column");
  }

  @Test
  void yamlSyntaxErrorsNameTheLine() {
    assertThatThrownBy(() -> SettingsFile.parse("settings.yaml", "headers: {maxCount: 10\n"))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessage("settings.yaml: not valid YAML: while parsing a flow mapping; expected ',' "
            + "or '}', but got <stream end> (line 1, column 23)");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> SettingsFile.load(Path.of("/nonexistent/settings.yaml")))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("/nonexistent/settings.yaml: cannot read the settings file: ");
  }

  private static int leaves(JsonNode node) {
    if (!node.isObject()) {
      return 1;
    }
    int n = 0;
    for (JsonNode child : node) {
      n += leaves(child);
    }
    return n;
  }

  private static int components(Class<?> type) {
    if (!type.isRecord()) {
      return 1;
    }
    int n = 0;
    for (var component : type.getRecordComponents()) {
      n += components(component.getType());
    }
    return n;
  }
}
