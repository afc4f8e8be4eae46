package io.gatehouse.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A UDP server that answers each datagram with at most one datagram, computed by a pure function of
 * the payload and the sender ({@link UdpEcho}, {@link DnsWhoami}); the answer goes back to the
 * sender's address and port. Datagrams longer than the read buffer are cut, as Go's
 * {@code ReadFrom} into a fixed buffer cuts them. On a shared event loop group (epoll or NIO, as
 * {@link EchoServer#newEventLoopGroup}); {@code start} and {@code close} block. Thread-safe.
 */
public final class DatagramServer implements AutoCloseable {
  private final Channel channel;

  private DatagramServer(Channel channel) {
    this.channel = channel;
  }

  /**
   * Binds {@code address} and answers with {@code answer} (null: no answer).
   *
   * @param readBuffer bytes read per datagram; longer datagrams are cut
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static DatagramServer start(InetSocketAddress address, int readBuffer,
      BiFunction<byte[], InetSocketAddress, byte @Nullable []> answer, EventLoopGroup group) {
    ChannelFuture f = new Bootstrap().group(group).channel(channelType(group))
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(readBuffer))
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] reply = answer.apply(ByteBufUtil.getBytes(packet.content()), packet.sender());
            if (reply != null) {
              ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply),
                  packet.sender()));
            }
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // one failed send (client gone) must not stop the server
          }
        })
        .bind(address);
    f.awaitUninterruptibly(10, TimeUnit.SECONDS);
    if (!f.isSuccess()) {
      f.channel().close();
      Throwable cause = f.cause();
      throw new UncheckedIOException(new BindException("Cannot bind UDP " + address + ": "
          + (cause == null ? "timed out" : cause.getMessage())));
    }
    return new DatagramServer(f.channel());
  }

  /** The bound address (the chosen port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  static Class<? extends DatagramChannel> channelType(EventLoopGroup group) {
    boolean epoll = group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

}
