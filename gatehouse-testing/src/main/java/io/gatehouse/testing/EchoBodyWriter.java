package io.gatehouse.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes echo-basic's JSON body in the same field order and layout as Go's
 * {@code json.MarshalIndent(v, "", " ")}: one-space indent, {@code "name": value}, header names
 * sorted. Thread-safe.
 */
final class EchoBodyWriter {

  private static final JsonFactory JSON = new JsonFactory();
  private static final DefaultIndenter ONE_SPACE = new DefaultIndenter(" ", "\n");
  private static final DefaultPrettyPrinter GO_INDENT = new DefaultPrettyPrinter(
      Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEntrySpacing(Separators.Spacing.NONE)
          .withArrayValueSpacing(Separators.Spacing.NONE)
          .withObjectEmptySeparator("")
          .withArrayEmptySeparator(""))
      .withObjectIndenter(ONE_SPACE).withArrayIndenter(ONE_SPACE);

  private EchoBodyWriter() {
  }

  /**
   * The echo body for {@code request} received on {@code httpPort} of the pod in {@code options}.
   */
  static byte[] echo(EchoRequest request, EchoOptions options, int httpPort) {
    return write(true, json -> {
      json.writeStringField("path", request.uri());
      json.writeStringField("host", request.host());
      json.writeStringField("method", request.method());
      json.writeStringField("proto", request.proto());
      json.writeObjectFieldStart("headers");
      for (Map.Entry<String, List<String>> header : request.canonicalHeaders().entrySet()) {
        json.writeArrayFieldStart(header.getKey());
        for (String value : header.getValue()) {
          json.writeString(value);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
      json.writeStringField("httpPort", Integer.toString(httpPort));
      json.writeStringField("namespace", options.namespace());
      json.writeStringField("ingress", "");
      json.writeStringField("service", "");
      json.writeStringField("pod", options.podName());
      EchoTlsInfo tls = request.tls();
      if (tls != null) {
        writeTls(json, tls);
      }
    });
  }

  /** echo-basic's {@code tls} object; empty peer certificates and ALPN are omitted. */
  private static void writeTls(JsonGenerator json, EchoTlsInfo tls) throws IOException {
    json.writeObjectFieldStart("tls");
    json.writeStringField("version", tls.version());
    if (!tls.peerCertificates().isEmpty()) {
      json.writeArrayFieldStart("peerCertificates");
      for (String pem : tls.peerCertificates()) {
        json.writeString(pem);
      }
      json.writeEndArray();
    }
    json.writeStringField("serverName", tls.serverName());
    if (!tls.negotiatedProtocol().isEmpty()) {
      json.writeStringField("negotiatedProtocol", tls.negotiatedProtocol());
    }
    json.writeStringField("cipherSuite", tls.cipherSuite());
    json.writeEndObject();
  }

  /**
   * echo-basic's error body, {@code {"message": "..."}} (compact, as Go's {@code json.Marshal}).
   */
  static byte[] error(String message) {
    return write(false, json -> json.writeStringField("message", message));
  }

  private static byte[] write(boolean indent, Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      if (indent) {
        json.setPrettyPrinter(GO_INDENT);
      }
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  private interface Fields {
    void write(JsonGenerator json) throws IOException;
  }
}
