package io.gatehouse.standalone.file;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddress;
import io.gatehouse.translator.gateway.GatewayAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gives every Gateway that requests no IP address in {@code spec.addresses} (none at all, or only
 * entries without a value, which ask for one) its own address from an IPv4 range, so that several
 * Gateways can listen on the same port as they do in a cluster.
 *
 * <p>
 * Sticky: a Gateway keeps its address for as long as it exists and requests none; new Gateways take
 * the lowest free address, in the order they are first seen. Addresses that some Gateway names in
 * {@code spec.addresses} are never handed out. Confined to the loading thread.
 */
final class GatewayAddressAllocator {
  private final int first;
  private final int last;
  private final Map<String, Integer> assigned = new LinkedHashMap<>();

  /** A pool from {@code first} to {@code last} inclusive, both IPv4 literals. */
  GatewayAddressAllocator(String first, String last) {
    this.first = toInt(first);
    this.last = toInt(last);
    if (Integer.compareUnsigned(this.first, this.last) > 0) {
      throw new IllegalArgumentException("empty address pool " + first + " .. " + last);
    }
  }

  /**
   * Assigns addresses for this set of Gateways.
   *
   * @param gateways in first-seen order
   * @return the address of each Gateway that needs one, keyed by {@code namespace/name}; a Gateway
   * missing from the map could not get one because the pool is exhausted
   */
  Map<String, String> assign(List<Gateway> gateways) {
    Map<String, Gateway> needing = new LinkedHashMap<>();
    Set<Integer> taken = new HashSet<>();
    for (Gateway g : gateways) {
      List<GatewaySpecAddress> addresses = g.getSpec() == null ? null : g.getSpec().getAddresses();
      if (!GatewayAddresses.requestsIp(addresses)) {
        needing.put(key(g), g); // none requested, or only empty ones ("assign one")
      }
      if (addresses != null) {
        addresses.forEach(a -> parse(a.getValue()).ifPresent(taken::add));
      }
    }
    assigned.keySet().retainAll(needing.keySet());
    assigned.values().removeIf(taken::contains);
    taken.addAll(assigned.values());
    Map<String, String> result = new LinkedHashMap<>();
    for (String key : needing.keySet()) {
      Integer address = assigned.computeIfAbsent(key, k -> lowestFree(taken));
      if (address != null) {
        taken.add(address);
        result.put(key, toText(address));
      }
    }
    return result;
  }

  static String key(Gateway g) {
    return g.getMetadata().getNamespace() + "/" + g.getMetadata().getName();
  }

  private Integer lowestFree(Set<Integer> taken) {
    for (long a = Integer.toUnsignedLong(first); a <= Integer.toUnsignedLong(last); a++) {
      if (!taken.contains((int) a)) {
        return (int) a;
      }
    }
    return null;
  }

  private static Optional<Integer> parse(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(toInt(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static int toInt(String ipv4) {
    if (!ipv4.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
    }
    try {
      // A literal (checked above), so no DNS lookup happens.
      if (!(InetAddress.getByName(ipv4) instanceof Inet4Address a)) {
        throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
      }
      byte[] b = a.getAddress();
      return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + ipv4, e);
    }
  }

  private static String toText(int a) {
    return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
  }
}
