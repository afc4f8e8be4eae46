package io.gatehouse.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An upstream on 127.0.0.1 (ephemeral port) that keeps the exact bytes of every request head it
 * receives (ISO-8859-1, so each byte is one char) and answers each with 200 and its name as the
 * body. It parses nothing but the blank line ending a head: the tests only send bodiless requests,
 * and anything the proxy sends is recorded as it arrived.
 */
final class RecordingUpstream implements AutoCloseable {
  final String name;
  /** Every request head received, in order, ending with its blank line. */
  final List<String> heads = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Channel server;

  RecordingUpstream(String name) {
    this.name = name;
    this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new Recorder());
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The request target of a recorded head. */
  static String target(String head) {
    String requestLine = head.substring(0, head.indexOf("\r\n"));
    return requestLine.split(" ", -1)[1];
  }

  /** The values of every field line of {@code head} named {@code name} (case-insensitive). */
  static List<String> values(String head, String name) {
    List<String> values = new ArrayList<>();
    for (String line : head.split("\r\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        values.add(line.substring(colon + 1).trim());
      }
    }
    return values;
  }

  /** The lower-case names of every field line of {@code head}. */
  static List<String> names(String head) {
    List<String> names = new ArrayList<>();
    String[] lines = head.split("\r\n", -1);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        names.add(lines[i].substring(0, colon).toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Recorder extends ChannelInboundHandlerAdapter {
    private final StringBuilder pending = new StringBuilder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        pending.append(in.toString(StandardCharsets.ISO_8859_1));
      } finally {
        in.release();
      }
      for (int end = pending.indexOf("\r\n\r\n"); end >= 0; end = pending.indexOf("\r\n\r\n")) {
        heads.add(pending.substring(0, end + 4));
        pending.delete(0, end + 4);
        byte[] body = name.getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\nx-upstream: "
            + name + "\r\n\r\n";
        ctx.write(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
        ctx.writeAndFlush(Unpooled.wrappedBuffer(body));
      }
    }
  }
}
