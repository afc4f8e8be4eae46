package io.gatehouse.proxy;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket implementation: native epoll where available, NIO otherwise. The system property
 * {@code gatehouse.transport=nio} forces NIO (to test the fallback on Linux).
 */
record Transport(String name, IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel, Class<? extends Channel> channel) {

  static Transport detect() {
    return of(!"nio".equals(System.getProperty("gatehouse.transport")));
  }

  static Transport of(boolean preferNative) {
    if (preferNative && Epoll.isAvailable()) {
      return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
          EpollSocketChannel.class);
    }
    return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
        NioSocketChannel.class);
  }

  /** The datagram channel of this transport (UDP listeners and their upstream sockets). */
  Class<? extends DatagramChannel> datagramChannel() {
    return "epoll".equals(name) ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }
}
