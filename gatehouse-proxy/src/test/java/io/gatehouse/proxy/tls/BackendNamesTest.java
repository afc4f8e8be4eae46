package io.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.model.UpstreamTls;
import io.gatehouse.model.UpstreamTls.SubjectAltName;
import io.gatehouse.model.UpstreamTls.SubjectAltName.Type;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.gatehouse.proxy.BackendCertificates;

/** The names a backend certificate must carry: hostname or subjectAltNames, DNS wildcards. */
class BackendNamesTest {
  @ParameterizedTest
  @CsvSource({
      "abc.example.com, abc.example.com, true",
      "ABC.Example.com, abc.example.COM, true",
      "*.example.com, abc.example.com, true",
      "*.example.com, example.com, false",
      "*.example.com, a.b.example.com, false",
      "abc.example.com, other.example.com, false",
      "*.example.com, .example.com, false"})
  void dnsMatching(String san, String name, boolean matches) {
    assertThat(BackendNames.dnsMatches(san, name)).isEqualTo(matches);
  }

  @Test
  void hostnameMustBeADnsSanWhenNoSubjectAltNamesAreListed() throws Exception {
    X509Certificate cert = cert(List.of("abc.example.com"),
        List.of("spiffe://abc.example.com/id"));
    new BackendNames(tls("abc.example.com", List.of())).check(cert);
    assertThatThrownBy(() -> new BackendNames(tls("spiffe://abc.example.com/id", List.of()))
        .check(cert)).isInstanceOf(CertificateException.class);
  }

  @Test
  void subjectAltNamesReplaceTheHostname() throws Exception {
    X509Certificate cert = cert(List.of("abc.example.com"),
        List.of("spiffe://abc.example.com/id"));
    new BackendNames(tls("unrelated.example.com",
        List.of(new SubjectAltName(Type.URI, "spiffe://abc.example.com/id")))).check(cert);
    assertThatThrownBy(() -> new BackendNames(tls("abc.example.com",
        List.of(new SubjectAltName(Type.HOSTNAME, "other.example.com")))).check(cert))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("other.example.com");
    // A URI never matches a DNS SAN with the same text, nor the reverse.
    assertThatThrownBy(() -> new BackendNames(tls("x.example.com",
        List.of(new SubjectAltName(Type.URI, "abc.example.com")))).check(cert))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void aCertificateWithoutSansMatchesNothing() throws Exception {
    assertThatThrownBy(() -> new BackendNames(tls("abc.example.com", List.of()))
        .check(PKI.client("no-sans").certificate())).isInstanceOf(CertificateException.class);
  }

  private static UpstreamTls tls(String hostname, List<SubjectAltName> sans) {
    return new UpstreamTls(hostname, List.of("pem"), false, sans, null, "test");
  }

  private static final BackendCertificates PKI = new BackendCertificates("names-ca");

  private static X509Certificate cert(List<String> dns, List<String> uris) {
    return PKI.server(dns, uris).certificate();
  }
}
