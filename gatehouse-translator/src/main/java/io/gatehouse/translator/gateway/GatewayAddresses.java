package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddress;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The addresses of one Gateway: what {@code spec.addresses} requests, checked against what the
 * infrastructure can bind, and what is reported in {@code status.addresses}.
 *
 * <p>
 * Gateway API (GatewaySpec.addresses, GatewaySpecAddress, the Accepted and Programmed reasons):
 * <ul>
 * <li>{@code IPAddress} (also when the type is omitted, its CRD default) with a value: bound,
 * unless the infrastructure cannot use it (Programmed=False, AddressNotUsable naming the entry); a
 * value that is not an IP literal is not usable either;
 * <li>{@code IPAddress} without a value: "assign one" (GatewayAddressEmpty); the Gateway gets the
 * infrastructure's address, as it does without {@code spec.addresses};
 * <li>{@code Hostname} with a value: a DNS name the operator points at the Gateway; reported in
 * status, nothing is bound for it; without a value: Gatehouse cannot assign a hostname
 * (Programmed=False, AddressNotAssigned, as the spec requires for an unsupported empty value);
 * <li>{@code NamedAddress} and domain-prefixed types: not supported (Accepted=False,
 * UnsupportedAddress).
 * </ul>
 * A Gateway with usable and unusable addresses is served on the usable ones but is not Programmed.
 *
 * @param bound the IP addresses every listener binds, in spec order (the assigned one when the spec
 * names none); empty when there is none
 * @param hostnames the Hostname addresses reported in status
 * @param unsupported why Accepted is False (an unsupported address type), or null
 * @param notUsable one problem per requested address that cannot be used (AddressNotUsable)
 * @param notAssigned why no address could be assigned, or null
 */
public record GatewayAddresses(List<String> bound, List<String> hostnames,
    @Nullable Problem unsupported, List<Problem> notUsable, @Nullable Problem notAssigned) {
  static final String IP_ADDRESS = "IPAddress";
  static final String HOSTNAME = "Hostname";
  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  public GatewayAddresses {
    bound = List.copyOf(bound);
    hostnames = List.copyOf(hostnames);
    notUsable = List.copyOf(notUsable);
  }

  /**
   * Resolves {@code spec.addresses}.
   *
   * @param assigned the address the infrastructure assigned to the Gateway, or null
   * @param unusable requested IP addresses the infrastructure cannot bind
   */
  static GatewayAddresses resolve(@Nullable List<GatewaySpecAddress> spec,
      @Nullable String assigned, Set<String> unusable) {
    Set<String> bound = new LinkedHashSet<>();
    Set<String> hostnames = new LinkedHashSet<>();
    List<Problem> notUsable = new ArrayList<>();
    Problem unsupported = null;
    Problem notAssigned = null;
    List<GatewaySpecAddress> entries = spec == null ? List.of() : spec;
    for (int i = 0; i < entries.size(); i++) {
      GatewaySpecAddress a = entries.get(i);
      String path = "spec.addresses[" + i + "]";
      String type = a.getType() == null ? IP_ADDRESS : a.getType();
      String value = a.getValue() == null ? "" : a.getValue();
      switch (type) {
        case IP_ADDRESS -> {
          if (value.isEmpty()) {
            continue; // an empty value asks for the assigned address
          }
          if (!isIpLiteral(value)) {
            notUsable.add(new Problem(Reason.ADDRESS_NOT_USABLE, path + ".value: \"" + value
                + "\" is not an IP address; write an IPv4 or IPv6 literal."));
          } else if (unusable.contains(value)) {
            notUsable.add(new Problem(Reason.ADDRESS_NOT_USABLE, path + ".value: Address \""
                + value + "\" cannot be bound here (it is not an address of this host); "
                + "remove it or name a local address."));
          } else {
            bound.add(value);
          }
        }
        case HOSTNAME -> {
          if (value.isEmpty()) {
            notAssigned = new Problem(Reason.ADDRESS_NOT_ASSIGNED, path
                + ".value: Gatehouse cannot assign a hostname; give the DNS name that points at"
                + " the Gateway.");
          } else {
            hostnames.add(value);
          }
        }
        default -> {
          if (unsupported == null) {
            unsupported = new Problem(Reason.UNSUPPORTED_ADDRESS, path + ".type: Address type \""
                + type + "\" is not supported; use IPAddress or Hostname.");
          }
        }
      }
    }
    if (!requestsIp(entries) && assigned != null) {
      bound.add(assigned);
    }
    if (bound.isEmpty() && notAssigned == null && notUsable.isEmpty()) {
      notAssigned = new Problem(Reason.ADDRESS_NOT_ASSIGNED,
          "No address is assigned to the Gateway.");
    }
    return new GatewayAddresses(List.copyOf(bound), List.copyOf(hostnames), unsupported,
        notUsable, notAssigned);
  }

  /**
   * Whether {@code spec.addresses} names an IP address with a value, in which case the Gateway is
   * bound to the addresses it names and needs none assigned.
   */
  public static boolean requestsIp(@Nullable List<GatewaySpecAddress> spec) {
    return spec != null && spec.stream()
        .anyMatch(a -> (a.getType() == null || IP_ADDRESS.equals(a.getType()))
            && a.getValue() != null && !a.getValue().isEmpty());
  }

  /** The first bound address, or null. */
  public @Nullable String first() {
    return bound.isEmpty() ? null : bound.get(0);
  }

  /** Textual IPv4 (dotted decimal) or IPv6; checked without a lookup (the translator is pure). */
  public static boolean isIpLiteral(String value) {
    return IPV4.matcher(value).matches()
        || IPV6.matcher(value).matches() && value.chars().filter(c -> c == ':').count() >= 2;
  }
}
