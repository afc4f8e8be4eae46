package io.gatehouse.standalone;

import io.gatehouse.model.GatewayConfig;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.proxy.GatewayProxy;
import java.util.List;
import java.util.Map;

/**
 * Where {@link StandaloneGateway} sends each configuration: the in-process {@link GatewayProxy}, or
 * a fake in tests.
 */
interface ConfigSink extends AutoCloseable {
  /** Serves {@code gateways} from now on; returns the listeners that could not be bound. */
  List<BindFailure> apply(long generation, List<GatewayConfig> gateways);

  @Override
  void close();

  /** The proxy's edge reject counters by reason ({@code GET /stats}); empty when there are none. */
  default Map<String, Long> counters() {
    return Map.of();
  }

  static ConfigSink of(GatewayProxy proxy) {
    return new ConfigSink() {
      @Override
      public List<BindFailure> apply(long generation, List<GatewayConfig> gateways) {
        return proxy.apply(generation, gateways);
      }

      @Override
      public void close() {
        proxy.close();
      }

      @Override
      public Map<String, Long> counters() {
        return proxy.counters();
      }
    };
  }
}
