package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A listener that terminates TLS and then serves HTTP like an {@link HttpListener}. The certificate
 * is chosen by the client's SNI: an exact name first, then the longest matching wildcard, then the
 * certificate whose names include {@code *} (the default); with no match and no default the
 * handshake is refused, so an unknown name never receives another tenant's certificate.
 *
 * @param virtualHosts chosen by the {@code Host} header after the handshake, as for HTTP
 * @param certificates at least one; SNI names unique across them
 * @param clientValidation how client certificates are validated on this port, null when they are
 * not requested
 */
public record HttpsListener(String name, String address, int port, List<VirtualHost> virtualHosts,
    List<ServerCertificate> certificates, @Nullable ClientValidation clientValidation)
    implements
      Listener {
  public HttpsListener {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    virtualHosts = List.copyOf(virtualHosts);
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("an HTTPS listener needs a certificate");
    }
  }

  /** A listener that does not ask clients for certificates. */
  public HttpsListener(String name, String address, int port, List<VirtualHost> virtualHosts,
      List<ServerCertificate> certificates) {
    this(name, address, port, virtualHosts, certificates, null);
  }
}
