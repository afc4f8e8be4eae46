package io.gatehouse.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * The echo-basic TCP protocol (HARNESS.md §9.2) over lines decoded as strings: writes the welcome
 * line once the connection is ready (at once on plain TCP, after the handshake on TLS), then
 * answers {@code PING} with {@code PONG}, {@code IS_TLS} with {@code true}/{@code false} and
 * {@code TEST} with one line of compact JSON (keys in echo-basic's order; {@code tls} only on TLS).
 * Other lines get no answer. Last handler of a {@link TcpEchoServer} connection; the strings it
 * reads are not reference counted.
 */
final class TcpEchoHandler extends SimpleChannelInboundHandler<String> {
  static final String WELCOME = "Gateway API Test TCP Server\n";

  private final TcpEchoServer.Options options;
  private final boolean tls;

  TcpEchoHandler(TcpEchoServer.Options options, boolean tls) {
    this.options = options;
    this.tls = tls;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (!tls) {
      ctx.writeAndFlush(WELCOME);
    }
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
      ctx.writeAndFlush(WELCOME);
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, String line) {
    String command = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    switch (command) {
      case "PING" -> ctx.writeAndFlush("PONG\n");
      case "IS_TLS" -> ctx.writeAndFlush(tls + "\n");
      case "TEST" -> ctx.writeAndFlush(json(ctx) + "\n");
      default -> {
        // echo-basic answers nothing else
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset client or a failed handshake: nothing to answer
  }

  private String json(ChannelHandlerContext ctx) {
    StringBuilder b = new StringBuilder("{");
    field(b, "namespace", options.namespace()).append(',');
    field(b, "ingress", "").append(',');
    field(b, "service", options.service()).append(',');
    field(b, "pod", options.podName()).append(',');
    field(b, "tcpport", "3000").append(',');
    field(b, "tlsport", "8443").append(",\"isTLS\":").append(tls);
    EchoTlsInfo info = ctx.channel().attr(EchoTlsInfo.KEY).get();
    if (tls && info != null) {
      b.append(",\"tls\":{");
      field(b, "version", info.version().replace("TLSv", "TLS ")).append(',');
      field(b, "serverName", info.serverName());
      if (!info.negotiatedProtocol().isEmpty()) {
        field(b.append(','), "negotiatedProtocol", info.negotiatedProtocol());
      }
      field(b.append(','), "cipherSuite", info.cipherSuite()).append('}');
    }
    return b.append('}').toString();
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }
}
