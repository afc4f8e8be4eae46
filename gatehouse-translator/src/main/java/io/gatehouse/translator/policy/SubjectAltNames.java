package io.gatehouse.translator.policy;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.SubjectAltName;
import io.gatehouse.model.UpstreamTls;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Translates {@code spec.validation.subjectAltNames} (Gateway API SubjectAltName): type
 * {@code Hostname} with {@code hostname}, or type {@code URI} with {@code uri}, nothing else.
 */
final class SubjectAltNames {
  private SubjectAltNames() {
  }

  /** Adds each entry to {@code out}; returns the first invalid entry's problem, or null. */
  static @Nullable Problem translate(@Nullable List<SubjectAltName> sans,
      List<UpstreamTls.SubjectAltName> out) {
    if (sans == null) {
      return null;
    }
    for (int i = 0; i < sans.size(); i++) {
      SubjectAltName s = sans.get(i);
      String path = "spec.validation.subjectAltNames[" + i + "]";
      String type = s.getType() == null ? "" : s.getType();
      String hostname = s.getHostname() == null ? "" : s.getHostname();
      String uri = s.getUri() == null ? "" : s.getUri();
      if (type.equals("Hostname") && !hostname.isEmpty() && uri.isEmpty()) {
        out.add(new UpstreamTls.SubjectAltName(UpstreamTls.SubjectAltName.Type.HOSTNAME,
            hostname));
      } else if (type.equals("URI") && !uri.isEmpty() && hostname.isEmpty() && uri.contains(":")) {
        out.add(new UpstreamTls.SubjectAltName(UpstreamTls.SubjectAltName.Type.URI, uri));
      } else {
        return new Problem(Reason.INVALID, path + ": Type \"" + type
            + "\" needs exactly its own field (hostname for Hostname, an absolute uri for URI).");
      }
    }
    return null;
  }
}
