package io.gatehouse.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.gatehouse.testing.EchoOptions;
import io.gatehouse.testing.EchoServer;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One echo backend per endpoint address and port of the EndpointSlices given, all on one shared
 * event loop: what the demo uses in place of a cluster's pods.
 */
final class DemoBackends implements AutoCloseable {
  private final EventLoopGroup group;
  private final List<EchoServer> servers;

  private DemoBackends(EventLoopGroup group, List<EchoServer> servers) {
    this.group = group;
    this.servers = servers;
  }

  static DemoBackends start(List<HasMetadata> objects) {
    EventLoopGroup group = EchoServer.newEventLoopGroup(1);
    List<EchoServer> servers = new ArrayList<>();
    DemoBackends backends = new DemoBackends(group, servers);
    try {
      for (HasMetadata object : objects) {
        if (object instanceof EndpointSlice slice) {
          startSlice(slice, group, servers);
        }
      }
    } catch (RuntimeException e) {
      backends.close();
      throw e;
    }
    return backends;
  }

  private static void startSlice(EndpointSlice slice, EventLoopGroup group,
      List<EchoServer> servers) {
    String namespace = slice.getMetadata().getNamespace();
    List<Endpoint> endpoints = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
    List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      String pod = endpoint.getTargetRef() != null && endpoint.getTargetRef().getName() != null
          ? endpoint.getTargetRef().getName()
          : slice.getMetadata().getName() + "-" + i;
      for (String address : endpoint.getAddresses()) {
        for (EndpointPort port : ports) {
          if (port.getPort() != null && !"UDP".equals(port.getProtocol())) {
            servers.add(EchoServer.start(EchoOptions.of(address, port.getPort(), pod, namespace),
                group));
          }
        }
      }
    }
  }

  int size() {
    return servers.size();
  }

  @Override
  public void close() {
    for (EchoServer server : servers) {
      server.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
