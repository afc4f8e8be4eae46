package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.Timeouts;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.tls.SniMapping;
import io.gatehouse.proxy.tls.SniSelector;
import io.gatehouse.proxy.tls.TestCertificates;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket upgrades through the real client pipeline on loopback: frames both ways with the JDK
 * WebSocket client against a Netty WebSocket echo backend; backpressure, close propagation, refused
 * upgrades, {@code Upgrade: h2c} and timeouts with raw sockets on both ends ({@link #accepted}
 * hands each upstream connection the proxy opens to the test). {@link NioWebSocketRelayIT} runs it
 * all again on NIO.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketRelayIT {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final int MIB = 1 << 20;

  private EventLoopGroup group;
  private Channel echo;
  private ServerSocket raw;
  private Thread acceptor;
  private final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
  private Channel proxy;
  private int port;
  private final TestCertificates.Issued certificate = TestCertificates.ec(
      TestCertificates.KeyFormat.PKCS8, "ws.test");
  private Channel tlsProxy;

  /** Epoll where available; {@link NioWebSocketRelayIT} says false. */
  boolean nativeTransport() {
    return true;
  }

  @BeforeAll
  void start() throws Exception {
    boolean epoll = nativeTransport() && Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> serverType = epoll
        ? EpollServerSocketChannel.class
        : NioServerSocketChannel.class;
    group = new MultiThreadIoEventLoopGroup(1, io);
    echo = new ServerBootstrap().group(group).channel(serverType)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath("/echo").decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(4 * MIB).build())
                    .build()),
                new SimpleChannelInboundHandler<WebSocketFrame>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                    ctx.writeAndFlush(f.retain());
                  }
                });
          }
        }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!raw.isClosed()) {
        try {
          accepted.add(raw.accept());
        } catch (IOException e) {
          // closed
        }
      }
    }, "raw-upstream");
    acceptor.start();
    Action toEcho = new Action.Forward(List.of(new WeightedCluster("echo", 1)), 0);
    Action toRaw = new Action.Forward(List.of(new WeightedCluster("raw", 1)), 0);
    Action toH2c = new Action.Forward(List.of(new WeightedCluster("h2c", 1)), 0);
    RouteTable table = RouteTable.of(new HttpListener("l", "127.0.0.1", 80, List.of(
        new VirtualHost(List.of("*"), List.of(
            new Route("echo", RouteMatch.of(new PathMatch.Prefix("/echo")), List.of(), toEcho),
            new Route("slow", RouteMatch.of(new PathMatch.Prefix("/slow")), List.of(), toRaw,
                new Timeouts(Duration.ofMillis(500), Duration.ofMillis(300))),
            new Route("h2c", RouteMatch.of(new PathMatch.Prefix("/h2c")), List.of(), toH2c),
            new Route("raw", RouteMatch.of(new PathMatch.Prefix("/")), List.of(), toRaw))))),
        Map.of("echo", cluster("echo", port(echo), UpstreamProtocol.HTTP1),
            "raw", cluster("raw", raw.getLocalPort(), UpstreamProtocol.HTTP1),
            "h2c", cluster("h2c", raw.getLocalPort(), UpstreamProtocol.H2C)));
    proxy = new ServerBootstrap().group(group).channel(serverType)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ServerInitializer(() -> table,
            new UpstreamPool(epoll ? EpollSocketChannel.class : NioSocketChannel.class,
                Duration.ofSeconds(2), 4),
            new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), ListenerOrigin.http(80), null))
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    port = port(proxy);
    SslContext tls = SslContextBuilder.forServer(certificate.keys().getPrivate(),
        certificate.certificate()).sslProvider(SslProvider.JDK).build();
    tlsProxy = new ServerBootstrap().group(group).channel(serverType)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ServerInitializer(() -> table,
            new UpstreamPool(epoll ? EpollSocketChannel.class : NioSocketChannel.class,
                Duration.ofSeconds(2), 4),
            new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), ListenerOrigin.https(443),
            new SniSelector(() -> new SniMapping.Builder<SslContext>().add("ws.test", tls)
                .build())))
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
  }

  @AfterAll
  void stop() throws Exception {
    proxy.close().sync();
    tlsProxy.close().sync();
    echo.close().sync();
    raw.close();
    acceptor.join(5000);
    for (Socket s; (s = accepted.poll()) != null;) {
      s.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void framesRelayBothWays() throws Exception {
    LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    try (HttpClient client = HttpClient.newHttpClient()) {
      WebSocket ws = client.newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/echo"), collector(received))
          .get(10, TimeUnit.SECONDS);
      ws.sendText("Websocket Support!", true).get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("Websocket Support!");
      ws.sendBinary(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7}), true)
          .get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new byte[]{1, 2, 3, 4, 5, 6, 7});
      byte[] big = new byte[2 * MIB];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) (i * 31);
      }
      ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(big);
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("close 1000");
    }
  }

  @Test
  void upgradeIsForwardedOnItsOwnConnectionWithOnlyWebSocketUpgradeHeaders() throws Exception {
    try (Socket client = client()) {
      send(client,
          handshake("/chat",
              "Upgrade: h2c, websocket\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"
                  + "Connection: Upgrade, HTTP2-Settings, keep-alive\r\nKeep-Alive: 5\r\n"));
      Socket up = nextUpstream();
      String head = readHead(up.getInputStream()).toLowerCase(Locale.ROOT);
      assertThat(head).startsWith("get /chat http/1.1").contains("\r\nupgrade: websocket\r\n")
          .contains("\r\nconnection: upgrade\r\n").contains("sec-websocket-key: " + KEY.toLowerCase(
              Locale.ROOT))
          .contains("sec-websocket-version: 13").doesNotContain("h2c")
          .doesNotContain("http2-settings").doesNotContain("keep-alive");
      accept(up, "X-From: backend\r\n");
      String answer = readHead(client.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Accept: "
          + accept(KEY)).contains("X-From: backend");
      roundTrip(client, up);
      up.close();
    }
  }

  @Test
  void upgradeH2cIsNeverForwarded() throws Exception {
    try (Socket client = client()) {
      send(client, "GET /plain HTTP/1.1\r\nHost: t\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n");
      Socket up = nextUpstream();
      String head = readHead(up.getInputStream()).toLowerCase(Locale.ROOT);
      assertThat(head).startsWith("get /plain http/1.1").doesNotContain("upgrade")
          .doesNotContain("http2-settings");
      write(up, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 200 ");
      up.close();
    }
  }

  @Test
  void malformedHandshakeIsForwardedAsAPlainRequest() throws Exception {
    try (Socket client = client()) {
      send(client, "GET /nokey HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n");
      Socket up = nextUpstream();
      String head = readHead(up.getInputStream()).toLowerCase(Locale.ROOT);
      assertThat(head).startsWith("get /nokey http/1.1").doesNotContain("upgrade");
      write(up, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 400 ");
      up.close();
    }
  }

  /**
   * SECURITY.md A14: a handshake the backend answers with 200 is an ordinary exchange. The
   * connection it used is closed (never pooled), and the client's next request on the same
   * connection is routed as HTTP again, on a new upstream connection.
   */
  @Test
  void refusedUpgradeLeavesTheClientConnectionOnHttp() throws Exception {
    try (Socket client = client()) {
      send(client, handshake("/refused", ""));
      Socket up = nextUpstream();
      readHead(up.getInputStream());
      write(up,
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nno");
      InputStream in = client.getInputStream();
      String answer = readHead(in);
      assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContainIgnoringCase("upgrade");
      assertThat(new String(in.readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("no");
      assertThat(closedByPeer(up)).as("upgrade connection closed, not pooled").isTrue();
      up.close();

      send(client, "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
      Socket next = nextUpstream();
      assertThat(readHead(next.getInputStream())).startsWith("GET /next HTTP/1.1");
      write(next, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext");
      assertThat(readHead(in)).startsWith("HTTP/1.1 200 ");
      assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("next");
      next.close();
    }
  }

  @Test
  void handshakeToAnH2cBackendGets501() throws Exception {
    try (Socket client = client()) {
      send(client, handshake("/h2c", ""));
      assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 501 ");
      assertThat(accepted.poll(200, TimeUnit.MILLISECONDS)).as("no upstream connection").isNull();
    }
  }

  @Test
  void closeOfEitherSideClosesTheOther() throws Exception {
    try (Socket client = client()) {
      Socket up = openTunnel(client, "/a");
      up.close();
      assertThat(closedByPeer(client)).as("client closed after the backend closed").isTrue();
    }
    Socket up;
    try (Socket client = client()) {
      up = openTunnel(client, "/b");
    }
    assertThat(closedByPeer(up)).as("backend closed after the client closed").isTrue();
    up.close();
  }

  /** The route's 500 ms request timeout covers the handshake only. */
  @Test
  void routeTimeoutsEndWithTheHandshake() throws Exception {
    try (Socket client = client()) {
      Socket up = openTunnel(client, "/slow/ws");
      Thread.sleep(1200);
      roundTrip(client, up);
      up.close();
    }
    try (Socket client = client()) {
      send(client, handshake("/slow/never", ""));
      Socket up = nextUpstream();
      assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 504 ");
      up.close();
    }
  }

  /** An HTTPS listener terminates TLS and tunnels the plain bytes to the backend. */
  @Test
  void tunnelsThroughATlsListener() throws Exception {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port(tlsProxy)), 5000);
    SSLSocket client = (SSLSocket) certificate.trustingClient().getSocketFactory()
        .createSocket(plain, "ws.test", port(tlsProxy), true);
    try (client) {
      SSLParameters params = client.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName("ws.test")));
      client.setSSLParameters(params);
      client.setSoTimeout(10_000);
      client.startHandshake();
      Socket up = openTunnel(client, "/tls");
      roundTrip(client, up);
      byte[] big = new byte[4 * MIB];
      for (int i = 0; i < big.length; i++) {
        big[i] = pattern(i);
      }
      up.getOutputStream().write(big);
      assertThat(client.getInputStream().readNBytes(big.length)).isEqualTo(big);
      up.close();
      assertThat(closedByPeer(client)).as("client closed after the backend closed").isTrue();
    }
  }

  /**
   * A reader that stops reading while the other end sends 128 MiB: the sender soon blocks, with
   * what it wrote bounded by the socket buffers on the way (the proxy holds at most one read per
   * direction); once the reader resumes, every byte arrives in order.
   */
  @Test
  void aSlowReaderStopsTheSenderInsteadOfFillingTheProxy() throws Exception {
    try (Socket client = client()) {
      Socket up = openTunnel(client, "/bulk");
      assertBounded(up, client);
      assertBounded(client, up);
      up.close();
    }
  }

  private void assertBounded(Socket sender, Socket reader) throws Exception {
    long total = 128L * MIB;
    AtomicLong written = new AtomicLong();
    Thread writer = new Thread(() -> {
      byte[] chunk = new byte[64 * 1024];
      try {
        OutputStream out = sender.getOutputStream();
        for (long off = 0; off < total; off += chunk.length) {
          for (int i = 0; i < chunk.length; i++) {
            chunk[i] = pattern(off + i);
          }
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (IOException e) {
        // the test failed and closed the socket
      }
    }, "bulk-writer");
    writer.start();
    long last = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (written.get() != last && System.nanoTime() < deadline) {
      last = written.get();
      Thread.sleep(500);
    }
    assertThat(written.get()).as("bytes the sender got rid of while nobody read")
        .isLessThan(64L * MIB);
    InputStream in = reader.getInputStream();
    byte[] buf = new byte[64 * 1024];
    for (long read = 0; read < total;) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, total - read));
      assertThat(n).as("bytes at %d", read).isPositive();
      for (int i = 0; i < n; i++) {
        if (buf[i] != pattern(read + i)) {
          throw new AssertionError("byte " + (read + i) + " differs");
        }
      }
      read += n;
    }
    writer.join(10_000);
    assertThat(written.get()).isEqualTo(total);
  }

  private static byte pattern(long i) {
    return (byte) (i ^ (i >>> 8) ^ (i >>> 16));
  }

  // ---- helpers ----

  private Socket openTunnel(Socket client, String path) throws Exception {
    send(client, handshake(path, ""));
    Socket up = nextUpstream();
    readHead(up.getInputStream());
    accept(up, "");
    assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 101 ");
    return up;
  }

  /** Bytes both ways through an open tunnel (no WebSocket framing needed: it relays bytes). */
  private static void roundTrip(Socket client, Socket up) throws IOException {
    write(client, "ping");
    assertThat(new String(up.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
        .isEqualTo("ping");
    write(up, "pong");
    assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
        .isEqualTo("pong");
  }

  private static String handshake(String path, String extra) {
    String headers = extra.isEmpty() ? "Upgrade: websocket\r\nConnection: Upgrade\r\n" : extra;
    return "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + headers + "Sec-WebSocket-Key: " + KEY
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
  }

  private static void accept(Socket up, String extra) throws Exception {
    write(up, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept(KEY) + "\r\n" + extra + "\r\n");
  }

  private static String accept(String key) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
        .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
  }

  private Socket client() throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(64 * 1024);
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    s.setSoTimeout(10_000);
    return s;
  }

  private Socket nextUpstream() throws Exception {
    Socket s = accepted.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("upstream connection").isNotNull();
    s.setSoTimeout(10_000);
    s.setSendBufferSize(64 * 1024);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    write(s, text);
  }

  private static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  /** Reads up to and including the blank line; no byte more. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean closedByPeer(Socket s) throws IOException {
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static int port(Channel ch) {
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  private static Cluster cluster(String name, int port, UpstreamProtocol protocol) {
    return new Cluster(name, List.of(new Endpoint("127.0.0.1", port, 1)), protocol);
  }

  /** Puts each text as a String, each whole binary message as a byte[], a close as a word. */
  private static WebSocket.Listener collector(LinkedBlockingQueue<Object> received) {
    return new WebSocket.Listener() {
      private final ByteArrayOutputStream parts = new ByteArrayOutputStream();

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
        parts.writeBytes(bytes);
        if (last) {
          received.add(parts.toByteArray());
          parts.reset();
        }
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
