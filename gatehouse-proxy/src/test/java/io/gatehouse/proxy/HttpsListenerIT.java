package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.model.Action;
import io.gatehouse.model.ClientValidation;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.model.Listener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.PathRewrite;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.SecretValue;
import io.gatehouse.model.ServerCertificate;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.tls.TestCertificates;
import io.gatehouse.proxy.tls.TestCertificates.Issued;
import io.gatehouse.proxy.tls.TestCertificates.KeyFormat;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * HTTPS listeners and redirects on loopback: TLS termination with certificates chosen by SNI,
 * refused handshakes, TLS 1.1 refused, certificate swaps on a kept listener, and redirect
 * {@code Location}s over HTTP and HTTPS. Names such as {@code example.org} are reached by
 * connecting to 127.0.0.x and sending them as SNI and {@code Host}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsListenerIT {
  private static final int OFFSET = 10_000;
  private static final AtomicLong VERSION = new AtomicLong();

  private final Issued example = TestCertificates.rsa(KeyFormat.PKCS1, "example.org");
  private final Issued second = TestCertificates.ec(KeyFormat.SEC1, "second-example.org");
  private final Issued wildcard = TestCertificates.rsa(KeyFormat.PKCS8, "*.wildcard.org");
  private final Issued fallback = TestCertificates.ec(KeyFormat.PKCS8, "default.test");
  private TestUpstream a;
  private TestUpstream b;
  private GatewayProxy proxy;

  /** The transport under test; {@link NioHttpsListenerIT} runs everything again on NIO. */
  Transport transport() {
    return Transport.of(true);
  }

  /** The TLS provider under test; {@link JdkTlsHttpsListenerIT} runs everything on the JDK's. */
  SslProvider tlsProvider() {
    assertThat(OpenSsl.isAvailable()).as("BoringSSL loads on this platform").isTrue();
    return SslProvider.OPENSSL;
  }

  @BeforeAll
  void start() {
    a = new TestUpstream("A");
    b = new TestUpstream("B");
    proxy = GatewayProxy.start(
        new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2), Duration.ofSeconds(5)), transport(),
        tlsProvider());
  }

  @AfterAll
  void stop() {
    proxy.close();
    a.close();
    b.close();
  }

  @Test
  void servesHttpsToTheJdkClientWithForwardedProtoHttps() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    SSLParameters params = new SSLParameters();
    params.setServerNames(List.of(new SNIHostName("example.org")));
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(example.trustingClient()).sslParameters(params)
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> r = client.send(HttpRequest
          .newBuilder(URI.create("https://127.0.0.2:" + (port + OFFSET) + "/x"))
          .header("Host", "example.org").timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("A");
      assertThat(r.headers().firstValue("x-seen-x-forwarded-proto")).hasValue("https");
      assertThat(r.sslSession()).hasValueSatisfying(
          s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
    }
  }

  @Test
  void selectsTheCertificateBySni() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org"),
        second.serve("second-example.org"), wildcard.serve("*.wildcard.org")), routes("A"))));
    assertThat(served(port, "example.org", example)).isEqualTo(example.certificate());
    assertThat(served(port, "second-example.org", second)).isEqualTo(second.certificate());
    assertThat(served(port, "a.b.wildcard.org", wildcard)).isEqualTo(wildcard.certificate());
    try (RawHttp raw = new RawHttp(handshake(port, "second-example.org", second))) {
      RawHttp.Response r = raw.get("second-example.org", "/y");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("A");
      assertThat(raw.get("second-example.org", "/again").body()).as("keep-alive over TLS")
          .isEqualTo("A");
    }
  }

  @Test
  void streamsLargeBodiesBothWaysOverTls() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < (4 << 20); i++) {
      sb.append(i).append(',');
    }
    String body = sb.toString();
    try (RawHttp raw = new RawHttp(handshake(port, "example.org", example))) {
      for (int round = 0; round < 2; round++) {
        RawHttp.Response r = raw.exchange("POST /echo HTTP/1.1\r\nHost: example.org\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().length()).isEqualTo(body.length());
        assertThat(r.body().equals(body)).as("echoed body equals sent body").isTrue();
      }
    }
  }

  @Test
  void unknownSniWithoutDefaultFailsTheHandshake() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org"),
        wildcard.serve("*.wildcard.org")), routes("A"))));
    assertThatThrownBy(() -> handshake(port, "unknown.test", example).close())
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> handshake(port, "wildcard.org", wildcard).close())
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> handshake(port, null, example).close())
        .as("no SNI, no default").isInstanceOf(IOException.class);
    assertThat(served(port, "example.org", example)).isEqualTo(example.certificate());
  }

  @Test
  void unknownSniGetsTheDefaultCertificateWhenThereIsOne() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org"), fallback.serve("*")),
        routes("A"))));
    assertThat(served(port, "unknown.test", fallback)).isEqualTo(fallback.certificate());
    assertThat(served(port, null, fallback)).isEqualTo(fallback.certificate());
    assertThat(served(port, "example.org", example)).isEqualTo(example.certificate());
  }

  @Test
  void resumesTls12Sessions() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    SSLContext client = example.trustingClient();
    byte[] first;
    try (SSLSocket s = handshake(port, "example.org", client, "TLSv1.2")) {
      first = s.getSession().getId();
      assertThat(first).isNotEmpty();
    }
    try (SSLSocket s = handshake(port, "example.org", client, "TLSv1.2")) {
      assertThat(s.getSession().getId()).as("the same session, resumed").isEqualTo(first);
    }
  }

  @Test
  void refusesTls11() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    // The JDK client will not offer TLS 1.1 any more, so send a TLS 1.1 ClientHello by hand.
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.2", port + OFFSET), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(legacyClientHello("example.org", 2));
      s.getOutputStream().flush();
      int first = readOrEof(s.getInputStream());
      assertThat(first).as("an alert (21) or a close, never a ServerHello (22)").isIn(21, -1);
    }
    assertThat(served(port, "example.org", example)).isEqualTo(example.certificate());
  }

  @Test
  void closesOnAnOversizedClientHello() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.2", port + OFFSET), 5000);
      s.setSoTimeout(5_000);
      // A full 16 KiB record starting a ClientHello that announces 64 KiB (limit 16 KiB): the
      // length is checked once the first record is in, so at most one record is ever buffered.
      byte[] start = new byte[5 + 0x4000];
      System.arraycopy(new byte[]{22, 3, 1, 0x40, 0, 1, 1, 0, 0}, 0, start, 0, 9);
      s.getOutputStream().write(start);
      s.getOutputStream().flush();
      assertThat(readOrEof(s.getInputStream())).as("closed before the rest arrives")
          .isIn(21, -1);
    }
  }

  @Test
  void swapsCertificatesOnAKeptListener() throws Exception {
    int port = freePort();
    Issued renewed = TestCertificates.ec(KeyFormat.PKCS8, "example.org");
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    try (RawHttp before = new RawHttp(handshake(port, "example.org", example))) {
      assertThat(before.get("example.org", "/").body()).isEqualTo("A");
      apply(gateway(https(port, List.of(renewed.serve("example.org")), routes("B"))));
      assertThat(served(port, "example.org", renewed)).isEqualTo(renewed.certificate());
      assertThat(before.get("example.org", "/").body())
          .as("the open connection keeps its session and gets the new routes").isEqualTo("B");
    }
  }

  @Test
  void reportsACertificateThatCannotBeUsedAndServesTheOthers() throws Exception {
    int port = freePort();
    ServerCertificate broken = new ServerCertificate(List.of("second-example.org"),
        second.certificatePem(), SecretValue.of(example.keyPem()), "Secret/ns/broken");
    List<BindFailure> failures = proxy.apply(VERSION.incrementAndGet(), List.of(gateway(
        https(port, List.of(example.serve("example.org"), broken), routes("A")))));
    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.listener()).isEqualTo("ns/https/" + port);
      assertThat(f.address()).isEqualTo("127.0.0.2:" + (port + OFFSET));
      assertThat(f.message()).contains("Secret/ns/broken", "does not match")
          .doesNotContain("PRIVATE KEY");
    });
    assertThat(served(port, "example.org", example)).isEqualTo(example.certificate());
    assertThatThrownBy(() -> handshake(port, "second-example.org", second).close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void switchingAListenerBetweenHttpAndHttpsRebindsIt() throws Exception {
    int port = freePort();
    apply(gateway(new HttpListener("ns/http/" + port, "127.0.0.2", port, List.of(routes("A")))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      assertThat(raw.get("x", "/").body()).isEqualTo("A");
      apply(gateway(https(port, List.of(example.serve("example.org")), routes("B"))));
      assertThat(raw.closedByPeer()).isTrue();
    }
    try (RawHttp tls = new RawHttp(handshake(port, "example.org", example))) {
      assertThat(tls.get("example.org", "/").body()).isEqualTo("B");
    }
  }

  @Test
  void redirectsOverHttps() throws Exception {
    int port = freePort();
    VirtualHost vh = new VirtualHost(List.of("*"), List.of(
        redirect("/keep", new Action.Redirect(null, null, null, null, 302)),
        redirect("/to-http", new Action.Redirect("http", null, null, null, 301)),
        redirect("/to-443", new Action.Redirect(null, "example.com", null, 443, 308)),
        redirect("/prefix", new Action.Redirect(null, null,
            new PathRewrite.ReplacePrefixMatch("/prefix", "/new"), 8443, 307))));
    apply(gateway(https(port, List.of(example.serve("example.org")), vh)));
    try (RawHttp raw = new RawHttp(handshake(port, "example.org", example))) {
      assertRedirect(raw.get("example.org", "/keep/x?q=1"), 302,
          "https://example.org:" + port + "/keep/x?q=1");
      assertRedirect(raw.get("example.org:" + (port + OFFSET), "/to-http"), 301,
          "http://example.org/to-http");
      assertRedirect(raw.get("example.org", "/to-443"), 308, "https://example.com/to-443");
      assertRedirect(raw.get("example.org", "/prefix/a/b"), 307,
          "https://example.org:8443/new/a/b");
    }
  }

  @Test
  void redirectsOverHttp() throws Exception {
    int port = freePort();
    VirtualHost vh = new VirtualHost(List.of("*"), List.of(
        redirect("/keep", new Action.Redirect(null, null, null, null, 302)),
        redirect("/scheme", new Action.Redirect("https", null, null, null, 301)),
        redirect("/port", new Action.Redirect(null, "example.org", null, 8083, 302)),
        redirect("/full", new Action.Redirect(null, null,
            new PathRewrite.ReplaceFullPath("/replacement"), 80, 303))));
    apply(gateway(new HttpListener("ns/http/" + port, "127.0.0.2", port, List.of(vh))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      assertRedirect(raw.get("foo.test:" + (port + OFFSET), "/keep?a=b"), 302,
          "http://foo.test:" + port + "/keep?a=b");
      assertRedirect(raw.get("foo.test", "/scheme/x"), 301, "https://foo.test/scheme/x");
      assertRedirect(raw.get("foo.test", "/port"), 302, "http://example.org:8083/port");
      RawHttp.Response post = raw.exchange("POST /full/x HTTP/1.1\r\nHost: foo.test\r\n"
          + "Content-Length: 5\r\n\r\nhello");
      assertRedirect(post, 303, "http://foo.test/replacement");
      assertThat(raw.get("foo.test", "/keep").status()).as("connection still usable")
          .isEqualTo(302);
    }
  }

  // ---- helpers ----

  @Test
  void negotiatesH2AndServesHttp2OverTlsWithTheEdgeLimits() throws Exception {
    int port = freePort();
    Issued renewed = TestCertificates.ec(KeyFormat.PKCS8, "example.org");
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    try (H2TestClient c = h2(port, "example.org", example)) {
      assertThat(c.applicationProtocol()).isEqualTo("h2");
      H2TestClient.Response r = c.get("example.org", "/x").get(10, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("A");
      assertThat(r.header("x-seen-x-forwarded-proto")).isEqualTo("https");
      assertThat(c.channel().pipeline().get(Http2FrameCodec.class).connection().local()
          .maxActiveStreams()).as("the server's SETTINGS_MAX_CONCURRENT_STREAMS").isEqualTo(100);
      assertThat(c.get("example.org", "/x", "x_forwarded_for", "1.2.3.4")
          .get(10, TimeUnit.SECONDS).status()).as("the h2c validation applies").isEqualTo(400);
      apply(gateway(https(port, List.of(renewed.serve("example.org")), routes("B"))));
      assertThat(c.get("example.org", "/x").get(10, TimeUnit.SECONDS).text())
          .as("the HTTP/2 connection survives a certificate rotation").isEqualTo("B");
    }
  }

  @Test
  void servesHttp11WhenTheClientOffersNoAlpnOrOnlyHttp11() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    try (RawHttp c = new RawHttp(handshake(port, "example.org", example.trustingClient(),
        new String[0], "TLSv1.3", "TLSv1.2"))) {
      assertThat(c.get("example.org", "/").body()).isEqualTo("A");
    }
    try (SSLSocket s = handshake(port, "example.org", example.trustingClient(),
        new String[]{"h2", "http/1.1"}, "TLSv1.3", "TLSv1.2")) {
      assertThat(s.getApplicationProtocol()).as("h2 preferred").isEqualTo("h2");
    }
  }

  @Test
  void speaksTls13AndTls12WithAeadSuitesOnly() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    try (SSLSocket s = handshake(port, "example.org", example.trustingClient(), "TLSv1.3")) {
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    try (SSLSocket s = handshake(port, "example.org", example.trustingClient(), "TLSv1.2")) {
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(s.getSession().getCipherSuite()).as("ECDHE with an AEAD")
          .startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "CHACHA20_POLY1305");
    }
    SSLSocket cbc = (SSLSocket) example.trustingClient().getSocketFactory()
        .createSocket("127.0.0.2", port + OFFSET);
    try (cbc) {
      cbc.setSoTimeout(10_000);
      SSLParameters params = cbc.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName("example.org")));
      params.setProtocols(new String[]{"TLSv1.2"});
      params.setCipherSuites(new String[]{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"});
      cbc.setSSLParameters(params);
      assertThatThrownBy(cbc::startHandshake).as("CBC and static RSA suites are refused")
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void refusesTls10() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.2", port + OFFSET), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(legacyClientHello("example.org", 1));
      s.getOutputStream().flush();
      assertThat(readOrEof(s.getInputStream())).as("an alert (21) or a close, no ServerHello")
          .isIn(21, -1);
    }
  }

  @Test
  void refusesRenegotiation() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    SSLSocket s = handshake(port, "example.org", example.trustingClient(), "TLSv1.2");
    try (RawHttp c = new RawHttp(s)) {
      assertThat(c.get("example.org", "/").body()).isEqualTo("A");
      s.startHandshake(); // a TLS 1.2 renegotiation: a new ClientHello on the open session
      assertThat(statusOrClosed(c, "example.org")).as("the connection is closed").isEqualTo(-1);
    }
    assertThat(served(port, "example.org", example)).isEqualTo(example.certificate());
  }

  @Test
  void closesAHandshakeStalledAfterOneByte() throws Exception {
    int port = freePort();
    apply(gateway(https(port, List.of(example.serve("example.org")), routes("A"))));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.2", port + OFFSET), 5000);
      s.setSoTimeout(20_000); // the handshake timeout is 10 s
      s.getOutputStream().write(22);
      s.getOutputStream().flush();
      assertThat(readOrEof(s.getInputStream())).as("closed by the handshake timeout")
          .isIn(21, -1);
    }
  }

  @Test
  void answers421WhenTheHostBelongsToAnotherListenerThanTheSni() throws Exception {
    int port = freePort();
    // One certificate for four listeners on one port, as the conformance Gateway has: the names
    // are the listeners' hostnames ("*" for the one without hostname).
    apply(gateway(https(port, List.of(example.serve("*", "second-example.org", "*.wildcard.org",
        "fourth.wildcard.org")), routes("A"))));
    try (RawHttp c = new RawHttp(handshake(port, "example.org", example))) {
      assertThat(c.get("example.org", "/").status()).isEqualTo(200);
      assertThat(c.get("second-example.org", "/").status()).isEqualTo(421);
      assertThat(c.get("SECOND-Example.org:443", "/").status()).as("case and port ignored")
          .isEqualTo(421);
      assertThat(c.get("unknown.test", "/").status()).as("the same (default) listener")
          .isEqualTo(200);
      assertThat(c.get("example.org", "/").body()).as("a 421 keeps the connection")
          .isEqualTo("A");
    }
    try (RawHttp c = new RawHttp(handshake(port, "second-example.org", example))) {
      assertThat(c.get("second-example.org.", "/").status()).as("trailing dot").isEqualTo(200);
      assertThat(c.get("example.org", "/").status()).isEqualTo(421);
      assertThat(c.get("x.wildcard.org", "/").status()).isEqualTo(421);
    }
    try (RawHttp c = new RawHttp(handshake(port, null, example))) {
      assertThat(c.get("example.org", "/").status()).as("no SNI: the default listener")
          .isEqualTo(200);
      assertThat(c.get("second-example.org", "/").status()).isEqualTo(421);
    }
    try (H2TestClient c = h2(port, "third.wildcard.org", example)) {
      assertThat(c.get("fifth.wildcard.org", "/").get(10, TimeUnit.SECONDS).status())
          .as("same wildcard listener").isEqualTo(200);
      assertThat(c.get("fourth.wildcard.org", "/").get(10, TimeUnit.SECONDS).status())
          .as("a more specific listener").isEqualTo(421);
      assertThat(c.get("second-example.org", "/").get(10, TimeUnit.SECONDS).status())
          .isEqualTo(421);
      assertThat(c.get("unknown.test", "/").get(10, TimeUnit.SECONDS).status()).isEqualTo(421);
    }
    try (H2TestClient c = h2(port, "fourth.wildcard.org", example)) {
      assertThat(c.get("fourth.wildcard.org", "/").get(10, TimeUnit.SECONDS).status())
          .isEqualTo(200);
      assertThat(c.get("fifth.wildcard.org", "/").get(10, TimeUnit.SECONDS).status())
          .isEqualTo(421);
    }
  }

  @Test
  void requiresAClientCertificateSignedByTheListenersCa() throws Exception {
    int port = freePort();
    Issued ca = TestCertificates.ca("clients-ca");
    Issued otherCa = TestCertificates.ca("other-ca");
    Issued valid = TestCertificates.client(ca, "alice");
    Issued foreign = TestCertificates.client(otherCa, "mallory");
    apply(gateway(new HttpsListener("ns/https/" + port, "127.0.0.2", port,
        List.of(routes("A")), List.of(example.serve("example.org")),
        new ClientValidation(ca.certificatePem(), false, "ConfigMap/ns/ca"))));
    try (RawHttp c = new RawHttp(handshake(port, "example.org", valid.presentingTo(example),
        "TLSv1.3", "TLSv1.2"))) {
      assertThat(c.get("example.org", "/").body()).isEqualTo("A");
    }
    for (String tls : List.of("TLSv1.3", "TLSv1.2")) {
      assertThat(statusOverNewConnection(port, foreign.presentingTo(example), tls))
          .as("a certificate from another CA (%s)", tls).isEqualTo(-1);
      assertThat(statusOverNewConnection(port, example.trustingClient(), tls))
          .as("no certificate (%s)", tls).isEqualTo(-1);
    }
  }

  @Test
  void allowInsecureFallbackServesClientsWithoutAValidCertificate() throws Exception {
    int port = freePort();
    Issued ca = TestCertificates.ca("clients-ca");
    Issued foreign = TestCertificates.client(TestCertificates.ca("other-ca"), "mallory");
    Issued valid = TestCertificates.client(ca, "alice");
    apply(gateway(new HttpsListener("ns/https/" + port, "127.0.0.2", port,
        List.of(routes("A")), List.of(example.serve("example.org")),
        new ClientValidation(ca.certificatePem(), true, "ConfigMap/ns/ca"))));
    assertThat(statusOverNewConnection(port, valid.presentingTo(example), "TLSv1.3"))
        .isEqualTo(200);
    assertThat(statusOverNewConnection(port, foreign.presentingTo(example), "TLSv1.3"))
        .isEqualTo(200);
    assertThat(statusOverNewConnection(port, example.trustingClient(), "TLSv1.3"))
        .isEqualTo(200);
  }

  /**
   * The status of one GET over a new connection with {@code client}, or -1 when the handshake or
   * the exchange fails (a refused client certificate can show only at the first read in TLS 1.3).
   */
  private static int statusOverNewConnection(int port, SSLContext client, String protocol) {
    try (RawHttp c = new RawHttp(handshake(port, "example.org", client, protocol))) {
      return c.get("example.org", "/").status();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The status of a GET on {@code c}, or -1 when the connection is closed or fails. */
  private static int statusOrClosed(RawHttp c, String host) {
    try {
      return c.get(host, "/").status();
    } catch (IOException e) {
      return -1;
    }
  }

  /** An HTTP/2 client over TLS offering ALPN h2 and http/1.1, trusting {@code trusted} only. */
  private static H2TestClient h2(int port, String sni, Issued trusted) throws SSLException {
    SslContext ctx = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
        .trustManager(trusted.certificate()).endpointIdentificationAlgorithm(null)
        .protocols("TLSv1.3", "TLSv1.2")
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2", "http/1.1"))
        .build();
    return new H2TestClient("127.0.0.2", port + OFFSET, ctx, sni);
  }

  private static void assertRedirect(RawHttp.Response r, int status, String location) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.headers()).containsEntry("location", location)
        .containsEntry("content-length", "0");
    assertThat(r.body()).isEmpty();
  }

  /** The certificate the proxy presents for {@code sni}, verified against {@code trusted}. */
  private Certificate served(int port, String sni, Issued trusted) throws IOException {
    try (SSLSocket s = handshake(port, sni, trusted)) {
      return s.getSession().getPeerCertificates()[0];
    }
  }

  /**
   * A completed TLS 1.2/1.3 handshake with 127.0.0.2 sending {@code sni} (none when null), trusting
   * only {@code trusted}'s certificate.
   */
  private static SSLSocket handshake(int port, String sni, Issued trusted) throws IOException {
    return handshake(port, sni, trusted.trustingClient(), "TLSv1.3", "TLSv1.2");
  }

  private static SSLSocket handshake(int port, String sni, SSLContext ctx, String... protocols)
      throws IOException {
    SSLSocket s = handshake(port, sni, ctx, new String[]{"http/1.1"}, protocols);
    try {
      assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
      return s;
    } catch (AssertionError e) {
      s.close();
      throw e;
    }
  }

  /** A completed handshake offering the ALPN protocols {@code alpn} (none when empty). */
  private static SSLSocket handshake(int port, String sni, SSLContext ctx, String[] alpn,
      String... protocols) throws IOException {
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.2", port + OFFSET);
    try {
      s.setSoTimeout(10_000);
      SSLParameters params = s.getSSLParameters();
      params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
      params.setProtocols(protocols);
      params.setApplicationProtocols(alpn);
      s.setSSLParameters(params);
      s.startHandshake();
      return s;
    } catch (IOException | RuntimeException | AssertionError e) {
      s.close();
      throw e;
    }
  }

  /** The first byte the server sends, -1 when it closes (or resets), -2 when it stays silent. */
  private static int readOrEof(InputStream in) {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (IOException e) {
      return -1; // reset
    }
  }

  /**
   * A minimal TLS 1.{@code minor - 1} ClientHello (no supported_versions extension) with an SNI
   * extension: {@code minor} 1 is TLS 1.0, 2 is TLS 1.1.
   */
  private static byte[] legacyClientHello(String sni, int minor) throws IOException {
    byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream sniExt = new ByteArrayOutputStream();
    writeShort(sniExt, name.length + 3); // server_name_list length
    sniExt.write(0); // host_name
    writeShort(sniExt, name.length);
    sniExt.write(name);
    ByteArrayOutputStream exts = new ByteArrayOutputStream();
    writeShort(exts, 0); // server_name
    writeShort(exts, sniExt.size());
    exts.write(sniExt.toByteArray());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(new byte[]{3, (byte) minor}); // client_version
    body.write(new byte[32]); // random
    body.write(0); // session id
    writeShort(body, 4);
    body.write(new byte[]{(byte) 0xc0, 0x13, 0x00, 0x2f}); // ECDHE-RSA-AES128-SHA, AES128-SHA
    body.write(new byte[]{1, 0}); // null compression
    writeShort(body, exts.size());
    body.write(exts.toByteArray());
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(new byte[]{22, 3, (byte) minor});
    writeShort(record, body.size() + 4);
    record.write(1); // client_hello
    record.write(0);
    writeShort(record, body.size());
    record.write(body.toByteArray());
    return record.toByteArray();
  }

  private static void writeShort(ByteArrayOutputStream out, int v) {
    out.write(v >> 8);
    out.write(v & 0xff);
  }

  private void apply(GatewayConfig... gateways) {
    long v = VERSION.incrementAndGet();
    assertThat(proxy.apply(v, List.of(gateways))).isEmpty();
    assertThat(proxy.appliedVersion()).isEqualTo(v);
  }

  private GatewayConfig gateway(Listener listener) {
    return new GatewayConfig(new GatewayRef("ns", "g"), 1, List.of(listener),
        Map.of("A", cluster("A", a), "B", cluster("B", b)));
  }

  private static HttpsListener https(int port, List<ServerCertificate> certs, VirtualHost vh) {
    return https(port, certs, List.of(vh));
  }

  private static HttpsListener https(int port, List<ServerCertificate> certs,
      List<VirtualHost> vhs) {
    return new HttpsListener("ns/https/" + port, "127.0.0.2", port, vhs, certs);
  }

  private static VirtualHost routes(String cluster) {
    return new VirtualHost(List.of("*"), List.of(new Route("r",
        RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster(cluster, 1)), 0))));
  }

  private static Route redirect(String prefix, Action.Redirect action) {
    return new Route(prefix, RouteMatch.of(new PathMatch.Prefix(prefix)), List.of(), action);
  }

  private static Cluster cluster(String name, TestUpstream u) {
    return new Cluster(name, List.of(new Endpoint("127.0.0.1", u.port(), 1)),
        UpstreamProtocol.HTTP1);
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (s.getLocalPort() > OFFSET) {
          return s.getLocalPort() - OFFSET;
        }
      }
    }
    throw new IllegalStateException("no free port");
  }
}
