package io.gatehouse.proxy.tls;

import io.gatehouse.model.UpstreamTls;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The names a backend certificate must carry (Gateway API BackendTLSPolicyValidation): one of the
 * policy's {@code subjectAltNames} when it lists any (a Hostname against the DNS SANs, a URI
 * exactly against the URI SANs), else the policy hostname against the DNS SANs. DNS names compare
 * case-insensitively, and a SAN {@code *.example.com} covers exactly one more label (RFC 6125
 * 6.4.3). The subject CN is never used. Immutable.
 */
final class BackendNames {
  private static final int DNS = 2;
  private static final int URI = 6;

  private final List<UpstreamTls.SubjectAltName> accepted;

  BackendNames(UpstreamTls tls) {
    this.accepted = tls.subjectAltNames().isEmpty()
        ? List.of(new UpstreamTls.SubjectAltName(UpstreamTls.SubjectAltName.Type.HOSTNAME,
            tls.serverName()))
        : tls.subjectAltNames();
  }

  /** Fails unless {@code leaf} carries one of the accepted names. */
  void check(X509Certificate leaf) throws CertificateException {
    List<String> dns = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateException("backend certificate SANs do not parse", e);
    }
    for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
      if (san.size() >= 2 && san.get(0) instanceof Integer type && san.get(1) instanceof String v) {
        if (type == DNS) {
          dns.add(v);
        } else if (type == URI) {
          uris.add(v);
        }
      }
    }
    for (UpstreamTls.SubjectAltName want : accepted) {
      boolean found = switch (want.type()) {
        case HOSTNAME -> dns.stream().anyMatch(d -> dnsMatches(d, want.value()));
        case URI -> uris.contains(want.value());
      };
      if (found) {
        return;
      }
    }
    throw new CertificateException("backend certificate matches none of " + names()
        + " (DNS SANs " + dns + ", URI SANs " + uris + ")");
  }

  private String names() {
    return accepted.stream().map(UpstreamTls.SubjectAltName::value).toList().toString();
  }

  static boolean dnsMatches(String san, String name) {
    String s = san.toLowerCase(Locale.ROOT);
    String n = name.toLowerCase(Locale.ROOT);
    if (!s.startsWith("*.")) {
      return s.equals(n);
    }
    int dot = n.indexOf('.');
    return dot > 0 && n.substring(dot).equals(s.substring(1));
  }
}
