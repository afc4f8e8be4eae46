package io.gatehouse.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.L4Route;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.WeightedCluster;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The passthrough SNI peek on an {@link EmbeddedChannel}: route by name, bytes unchanged; on a
 * mixed port, a Terminate route's ClientHello goes to the terminating handlers.
 */
class SniRouteHandlerTest {
  private final Cluster cluster = new Cluster("service/default/a/443",
      List.of(new Endpoint("127.0.0.1", 443, 1)), UpstreamProtocol.HTTP1);
  private final L4Table table = L4Table.tls(List.of(new L4Route("default/exact",
      List.of("abc.example.com"), List.of(new WeightedCluster(cluster.name(), 1)), 0)),
      Map.of(cluster.name(), cluster));

  /** Records what passes the SNI handler: events and bytes (released here). */
  private static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        bytes.writeBytes(ByteBufUtil.getBytes(b));
      } finally {
        b.release();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }
  }

  @Test
  void selectsTheRouteAndPassesTheClientHelloOnUnchanged() throws Exception {
    Recorder recorder = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new SniRouteHandler(() -> table, 16384, 10_000),
        recorder);
    byte[] hello = TlsPassthroughIT.clientHello("abc.example.com");
    // In two pieces, as a ClientHello may arrive: the handler must wait for all of it.
    ch.writeInbound(Unpooled.wrappedBuffer(hello, 0, 10));
    assertThat(recorder.events).isEmpty();
    ch.writeInbound(Unpooled.wrappedBuffer(hello, 10, hello.length - 10));
    assertThat(recorder.events).first()
        .isInstanceOfSatisfying(L4FrontendHandler.RouteSelected.class,
            r -> assertThat(r.target().name()).isEqualTo("default/exact"));
    assertThat(recorder.bytes.toByteArray()).isEqualTo(hello);
    assertThat(ch.pipeline().get(SniRouteHandler.class)).isNull();
    assertThat(ch.outboundMessages()).isEmpty();
    ch.finishAndReleaseAll();
  }

  @Test
  void closesWithoutWritingAnythingWhenNoRouteServesTheName() throws Exception {
    Recorder recorder = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new SniRouteHandler(() -> table, 16384, 10_000),
        recorder);
    ch.writeInbound(Unpooled.wrappedBuffer(TlsPassthroughIT.clientHello("other.example.com")));
    assertThat(ch.isOpen()).isFalse();
    assertThat(ch.outboundMessages()).isEmpty();
    assertThat(recorder.bytes.size()).isZero();
    assertThat(recorder.events).noneMatch(e -> e instanceof L4FrontendHandler.RouteSelected);
    ch.finishAndReleaseAll();
  }

  @Test
  void closesAConnectionWhoseFirstBytesAreNotTls() {
    Recorder recorder = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new SniRouteHandler(() -> table, 16384, 10_000),
        recorder);
    try {
      ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n".getBytes()));
    } catch (RuntimeException expected) {
      // Netty raises NotSslRecordException after closing
    }
    assertThat(ch.isOpen()).isFalse();
    assertThat(recorder.bytes.size()).isZero();
    ch.finishAndReleaseAll();
  }

  @Test
  void onAMixedPortHandsATerminateRouteAndItsClientHelloToTheTerminatingHandlers()
      throws Exception {
    L4Table mixed = L4Table.mixed(List.of(), List.of(new L4Route("default/term",
        List.of("abc.example.com"), List.of(new WeightedCluster(cluster.name(), 1)), 0)),
        Map.of(cluster.name(), cluster));
    Recorder terminator = new Recorder();
    Recorder recorder = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new SniRouteHandler(() -> mixed, 16384, 10_000,
        () -> new ChannelHandler[]{terminator}), recorder);
    byte[] hello = TlsPassthroughIT.clientHello("abc.example.com");
    ch.writeInbound(Unpooled.wrappedBuffer(hello));
    assertThat(ch.pipeline().get(SniRouteHandler.class)).isNull();
    assertThat(terminator.events).first()
        .isInstanceOfSatisfying(L4FrontendHandler.TerminateSelected.class,
            t -> assertThat(t.target().name()).isEqualTo("default/term"));
    assertThat(terminator.bytes.toByteArray()).isEqualTo(hello);
    assertThat(ch.pipeline().names().indexOf(ch.pipeline().context(terminator).name()))
        .isLessThan(ch.pipeline().names().indexOf(ch.pipeline().context(recorder).name()));
    ch.finishAndReleaseAll();
  }

  @Test
  void onAPassthroughListenerATerminateRouteIsRefused() throws Exception {
    L4Table mixed = L4Table.mixed(List.of(), List.of(new L4Route("default/term",
        List.of("abc.example.com"), List.of(new WeightedCluster(cluster.name(), 1)), 0)),
        Map.of(cluster.name(), cluster));
    Recorder recorder = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new SniRouteHandler(() -> mixed, 16384, 10_000),
        recorder);
    ch.writeInbound(Unpooled.wrappedBuffer(TlsPassthroughIT.clientHello("abc.example.com")));
    assertThat(ch.isOpen()).isFalse();
    assertThat(recorder.bytes.size()).isZero();
    ch.finishAndReleaseAll();
  }
}
