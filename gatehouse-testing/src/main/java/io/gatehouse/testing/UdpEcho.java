package io.gatehouse.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The echo-basic UDP echo (HARNESS.md §9.3): every datagram is answered with compact JSON
 * {@code {"request","namespace","ingress","service","pod"}}, {@code request} being the payload as
 * text, no trailing newline. Read with a 1024-byte buffer, so longer payloads are cut.
 *
 * @param service the Deployment's {@code SERVICE_NAME}
 */
public record UdpEcho(String pod, String namespace, String service) {
  /** echo-basic's UDP port ({@code UDP_PORT} default). */
  public static final int PORT = 8080;
  /** echo-basic's read buffer. */
  public static final int READ_BUFFER = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The answer to one datagram. */
  public byte[] answer(byte[] payload, InetSocketAddress sender) {
    Map<String, String> reply = new LinkedHashMap<>();
    reply.put("request", new String(payload, StandardCharsets.UTF_8));
    reply.put("namespace", namespace);
    reply.put("ingress", "");
    reply.put("service", service);
    reply.put("pod", pod);
    try {
      return JSON.writeValueAsBytes(reply);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
