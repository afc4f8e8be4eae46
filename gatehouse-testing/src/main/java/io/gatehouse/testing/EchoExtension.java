package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running one {@link EchoServer} on 127.0.0.1 and an ephemeral port for a test
 * class:
 *
 * <pre>
 * &#64;RegisterExtension
 * static EchoExtension echo = EchoExtension.pod("infra-backend-v1-7c9d8b5f6d-x2x9z",
 *     "gateway-conformance-infra");
 * </pre>
 *
 * Register it in a {@code static} field: the server starts before all tests and closes after them.
 */
public final class EchoExtension implements BeforeAllCallback, AfterAllCallback {

  private final EchoOptions options;
  private volatile EchoServer server;

  private EchoExtension(EchoOptions options) {
    this.options = requireNonNull(options, "options");
  }

  /** An HTTP/1.1 + h2c echo pod on 127.0.0.1 and an ephemeral port. */
  public static EchoExtension pod(String podName, String namespace) {
    return of(EchoOptions.of("127.0.0.1", 0, podName, namespace));
  }

  public static EchoExtension of(EchoOptions options) {
    return new EchoExtension(options);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = EchoServer.start(options);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    EchoServer running = server;
    server = null;
    if (running != null) {
      running.close();
    }
  }

  /** The running server; only between {@code beforeAll} and {@code afterAll}. */
  public EchoServer server() {
    EchoServer running = server;
    if (running == null) {
      throw new IllegalStateException(
          "Echo server is not running; register the extension in a static field");
    }
    return running;
  }

  public InetSocketAddress address() {
    return server().address();
  }

  public int port() {
    return address().getPort();
  }
}
