package io.gatehouse.proxy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A UDP echo upstream on 127.0.0.1: answers every datagram, to its sender, with {@code <id>:}
 * followed by the payload bytes unchanged; remembers the source ports it saw. Close it to stop.
 */
final class TestUdpUpstream implements AutoCloseable {
  private final String id;
  private final DatagramSocket socket;
  private final Set<Integer> sourcePorts = ConcurrentHashMap.newKeySet();
  private final Thread thread;

  TestUdpUpstream(String id) {
    this.id = id;
    try {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (SocketException e) {
      throw new IllegalStateException(e);
    }
    thread = new Thread(this::serve, "udp-upstream-" + id);
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  Set<Integer> sourcePorts() {
    return sourcePorts;
  }

  private void serve() {
    byte[] buf = new byte[70_000];
    byte[] prefix = (id + ":").getBytes(StandardCharsets.US_ASCII);
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        sourcePorts.add(in.getPort());
        byte[] out = new byte[prefix.length + in.getLength()];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(buf, 0, out, prefix.length, in.getLength());
        socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
      } catch (IOException e) {
        // closed, or one bad datagram: keep serving until closed
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
