package io.gatehouse.standalone.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of standalone mode, on a loopback address only. Read-only, GET only; every body is
 * JSON except {@code /ready}.
 *
 * <ul>
 * <li>{@code GET /ready}: 200 {@code ready} once a configuration has been applied, else 503;
 * <li>{@code GET /generation}: {@code {"generation", "loadGeneration", "errors"}};
 * <li>{@code GET /objects}: a kubectl-style {@code List} of every loaded object with its status;
 * <li>{@code GET /objects/<kind>/<namespace>/<name>}: one object ({@code -} as the namespace of
 * cluster-scoped kinds; the kind is case-insensitive, e.g. {@code gateway}), or 404;
 * <li>{@code GET /config_dump}: the applied {@code GatewayConfig}s;
 * <li>{@code GET /errors}: file errors, warnings and bind failures;
 * <li>{@code GET /stats}: {@code {"downstream_rq_rejected": {<reason>: <count>, ...}}}, the
 * requests the proxy's edge refused, by reason;
 * <li>{@code GET /settings}: the data plane's effective settings, in the form of the settings file
 * ({@link io.gatehouse.standalone.settings.SettingsFile}), when the server was given them, else
 * 404.
 * </ul>
 * Anything else is 404; other methods get 405.
 *
 * <p>
 * Built on the JDK's {@code com.sun.net.httpserver} on one daemon thread: the admin API serves a
 * handful of requests from an operator or a test, so it needs no event loop, and keeping it off
 * Netty keeps buffer ownership out of code that only writes small JSON bodies.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final StatusStore store;
  private final Supplier<Map<String, Long>> counters;
  private final @Nullable JsonNode settings;
  private final ObjectMapper json = AdminJson.mapper();

  private AdminServer(HttpServer server, ExecutorService executor, StatusStore store,
      Supplier<Map<String, Long>> counters, @Nullable JsonNode settings) {
    this.counters = counters;
    this.settings = settings;
    this.server = server;
    this.executor = executor;
    this.store = store;
  }

  /**
   * Binds and starts serving.
   *
   * @param address a loopback address, e.g. {@code 127.0.0.1}
   * @param port 0 for an ephemeral port (see {@link #port})
   * @throws IllegalArgumentException if {@code address} is not a loopback address
   * @throws IOException if the port cannot be bound
   */
  public static AdminServer start(String address, int port, StatusStore store)
      throws IOException {
    return start(address, port, store, Map::of);
  }

  /**
   * Binds and starts serving, with {@code counters} (the proxy's edge reject counters by reason) on
   * {@code GET /stats}.
   *
   * @see #start(String, int, StatusStore)
   */
  public static AdminServer start(String address, int port, StatusStore store,
      Supplier<Map<String, Long>> counters) throws IOException {
    return start(address, port, store, counters, null);
  }

  /**
   * Binds and starts serving, with {@code settings} (the data plane's effective settings as
   * {@link io.gatehouse.standalone.settings.SettingsFile#toTree} writes them) on
   * {@code GET /settings}.
   *
   * @see #start(String, int, StatusStore, Supplier)
   */
  public static AdminServer start(String address, int port, StatusStore store,
      Supplier<Map<String, Long>> counters, @Nullable JsonNode settings) throws IOException {
    requireNonNull(store, "store");
    requireNonNull(counters, "counters");
    InetAddress ip = InetAddress.getByName(requireNonNull(address, "address"));
    if (!ip.isLoopbackAddress()) {
      throw new IllegalArgumentException("the admin API listens on loopback only, not " + address);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-admin");
      t.setDaemon(true);
      return t;
    });
    AdminServer admin = new AdminServer(server, executor, store, counters,
        settings == null ? null : settings.deepCopy());
    server.createContext("/", admin::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info("Admin API on http://{}:{}/", ip.getHostAddress(), admin.port());
    return admin;
  }

  /** The bound address and port. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, error("Method not allowed."));
        return;
      }
      route(exchange, exchange.getRequestURI().getPath());
    } catch (RuntimeException e) {
      LOG.error("Admin request {} failed", exchange.getRequestURI(), e);
    }
  }

  private void route(HttpExchange exchange, String path) throws IOException {
    switch (path) {
      case "/ready" -> {
        boolean ready = store.ready();
        sendText(exchange, ready ? 200 : 503, ready ? "ready" : "not ready");
      }
      case "/generation" -> send(exchange, 200, Map.of(
          "generation", store.appliedGeneration(),
          "loadGeneration", store.loadGeneration(),
          "errors", store.errors().size() + store.bindFailures().size()));
      case "/objects" -> send(exchange, 200, list());
      case "/config_dump" -> send(exchange, 200, store.config());
      case "/errors" -> send(exchange, 200, Map.of(
          "fileErrors", store.errors(),
          "warnings", store.warnings(),
          "bindFailures", store.bindFailures()));
      case "/stats" -> send(exchange, 200,
          Map.of("downstream_rq_rejected", new TreeMap<>(counters.get())));
      case "/settings" -> {
        if (settings != null) {
          send(exchange, 200, settings);
        } else {
          send(exchange, 404, error("Not found: " + path));
        }
      }
      default -> routeObject(exchange, path);
    }
  }

  private void routeObject(HttpExchange exchange, String path) throws IOException {
    String[] parts = path.split("/", -1);
    if (parts.length == 5 && parts[1].equals("objects")) {
      String namespace = parts[3].equals("-") ? "" : parts[3];
      var object = store.object(parts[2], namespace, parts[4]);
      if (object.isPresent()) {
        send(exchange, 200, object.get());
        return;
      }
    }
    send(exchange, 404, error("Not found: " + path));
  }

  private ObjectNode list() {
    ObjectNode list = json.createObjectNode();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.putArray("items").addAll(store.objects());
    return list;
  }

  private ObjectNode error(String message) {
    return json.createObjectNode().put("error", message);
  }

  private void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes;
    try {
      bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      LOG.error("Cannot render {} as JSON", exchange.getRequestURI(), e);
      sendText(exchange, 500, "internal error\n");
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    write(exchange, status, bytes);
  }

  private static void sendText(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    write(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
