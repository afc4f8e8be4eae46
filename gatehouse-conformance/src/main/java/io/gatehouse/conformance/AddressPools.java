package io.gatehouse.conformance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The runner inputs of GatewayStaticAddresses (HARNESS.md §1.4, §8; upstream
 * {@code --usable-address} / {@code --unusable-address}): addresses that replace the
 * {@code PLACEHOLDER_USABLE_ADDRS} and {@code PLACEHOLDER_UNUSABLE_ADDRS} entries of a Gateway's
 * {@code spec.addresses}, and the {@code ${usableAddress.value}} etc. of the case.
 *
 * <p>
 * For the standalone gateway "usable" means an address of this host it can bind: by default
 * {@code 127.2.0.1}, a loopback address (all of 127/8 is local on Linux) outside the Gateway pool
 * (127.0.0.x) and the emulated pods (127.1.x.y). "Unusable" is {@code 192.0.2.1} from TEST-NET-1
 * (RFC 5737), which is documentation-only and never assigned to a host.
 *
 * @param usable the usable pool (the case needs exactly one)
 * @param unusable the unusable pool (the case needs exactly one)
 */
record AddressPools(List<Address> usable, List<Address> unusable) {
  /** A Gateway address; {@code type} may be null (the CRD then defaults it to IPAddress). */
  record Address(String type, String value) {
    Address {
      requireNonNull(value, "value");
    }
  }

  static final String USABLE_PLACEHOLDER = "PLACEHOLDER_USABLE_ADDRS";
  static final String UNUSABLE_PLACEHOLDER = "PLACEHOLDER_UNUSABLE_ADDRS";

  AddressPools {
    usable = List.copyOf(usable);
    unusable = List.copyOf(unusable);
  }

  static AddressPools defaults() {
    return new AddressPools(List.of(new Address("IPAddress", "127.2.0.1")),
        List.of(new Address("IPAddress", "192.0.2.1")));
  }

  /** The pool a placeholder value stands for, or null when {@code value} is no placeholder. */
  List<Address> forPlaceholder(String value) {
    return switch (value) {
      case USABLE_PLACEHOLDER -> usable;
      case UNUSABLE_PLACEHOLDER -> unusable;
      default -> null;
    };
  }

  /** {@code s} with the case's {@code ${usableAddress.value}} etc. replaced. */
  String apply(String s) {
    return replace(replace(s, "usableAddress", usable), "unusableAddress", unusable);
  }

  private static String replace(String s, String name, List<Address> pool) {
    if (pool.isEmpty()) {
      return s;
    }
    Address a = pool.get(0);
    return s.replace("${" + name + ".value}", a.value())
        .replace("${" + name + ".type}", a.type() == null ? "" : a.type());
  }
}
