package io.gatehouse.standalone.file;

import io.gatehouse.standalone.SteppingClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.gatehouse.translator.ObjectRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLoaderTest {
  @TempDir
  Path dir;

  private final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-02T03:04:05.678Z"));

  private DirectoryLoader loader() {
    return new DirectoryLoader(dir, FileSourceOptions.defaults().withClock(clock));
  }

  @Test
  void loadsEveryYamlAndYmlFileRecursivelyWithMultipleDocuments() throws IOException {
    write("a.yaml", gateway("default", "gw", 80) + "---\n" + route("apps", "r1") + "---\n");
    write("sub/deeper/b.yml", service("default", "echo"));
    write("notes.txt", service("default", "ignored-txt"));
    write(".hidden/c.yaml", service("default", "ignored-hidden"));

    SourceSnapshot s = loader().load();

    assertThat(s.errors()).isEmpty();
    assertThat(refs(s)).containsExactly(
        new ObjectRef("Gateway", "default", "gw"),
        new ObjectRef("HTTPRoute", "apps", "r1"),
        new ObjectRef("Namespace", "", "apps"),
        new ObjectRef("Namespace", "", "default"),
        new ObjectRef("Service", "default", "echo"));
    assertThat(s.resources().gateways()).hasSize(1);
    assertThat(s.resources().httpRoutes()).hasSize(1);
    assertThat(s.resources().services()).hasSize(1);
    assertThat(s.loadGeneration()).isEqualTo(1);
  }

  @Test
  void loadsUdpRoutesWrittenAsV1alpha2OrV1() throws IOException {
    write("udp.yaml", """
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: UDPRoute
        metadata: {name: alpha, namespace: default}
        spec:
          parentRefs: [{name: gw, sectionName: udp}]
          rules: [{backendRefs: [{name: dns, port: 53, weight: 3}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: UDPRoute
        metadata: {name: v1, namespace: default}
        spec:
          rules: [{backendRefs: [{name: dns, port: 53}]}]
        """);

    SourceSnapshot s = loader().load();

    assertThat(s.errors()).isEmpty();
    assertThat(s.warnings()).isEmpty();
    assertThat(s.resources().udpRoutes()).extracting(r -> r.getMetadata().getName())
        .containsExactly("alpha", "v1");
    var alpha = s.resources().udpRoutes().get(0);
    assertThat(alpha.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(alpha.getSpec().getParentRefs().get(0).getSectionName()).isEqualTo("udp");
    assertThat(alpha.getSpec().getRules().get(0).getBackendRefs().get(0).getWeight()).isEqualTo(3);
  }

  @Test
  void loadsGrpcRoutesWrittenAsV1OrV1alpha2() throws IOException {
    write("grpc.yaml", """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: v1, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - name: named
            matches: [{method: {service: pkg.Echo, method: Ping}, headers: [{name: v, value: "1"}]}]
            backendRefs: [{name: echo, port: 9000, weight: 2}]
        ---
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: GRPCRoute
        metadata: {name: alpha, namespace: default}
        spec:
          rules: [{backendRefs: [{name: echo, port: 9000}]}]
        """);

    SourceSnapshot s = loader().load();

    assertThat(s.errors()).isEmpty();
    assertThat(s.warnings()).isEmpty();
    assertThat(s.resources().grpcRoutes()).extracting(r -> r.getMetadata().getName())
        .containsExactly("alpha", "v1");
    var v1 = s.resources().grpcRoutes().get(1);
    var rule = v1.getSpec().getRules().get(0);
    assertThat(rule.getName()).isEqualTo("named");
    assertThat(rule.getMatches().get(0).getMethod().getMethod()).isEqualTo("Ping");
    assertThat(rule.getMatches().get(0).getHeaders().get(0).getValue()).isEqualTo("1");
    assertThat(rule.getBackendRefs().get(0).getWeight()).isEqualTo(2);
    assertThat(s.resources().grpcRoutes().get(0).getApiVersion())
        .isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(refs(s)).contains(new ObjectRef("GRPCRoute", "default", "alpha"));
  }

  @Test
  void acceptsEveryRegisteredKindAndV1beta1GatewayApiVersions() throws IOException {
    write("all.yaml", """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: GatewayClass
        metadata: {name: gc}
        spec: {controllerName: example.com/c}
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: HTTPRoute
        metadata: {name: r}
        spec: {}
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: rg}
        spec: {from: [], to: []}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: ReferenceGrant
        metadata: {name: rg-v1}
        spec: {from: [], to: []}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: es, labels: {kubernetes.io/service-name: echo}}
        addressType: IPv4
        endpoints: [{addresses: [127.0.0.1]}]
        ports: [{name: http, port: 3000}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        type: kubernetes.io/tls
        data: {tls.crt: "", tls.key: ""}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm}
        data: {a: b}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: ListenerSet
        metadata: {name: ls}
        spec:
          parentRef: {name: gw}
          listeners: [{name: extra, port: 80, protocol: HTTP, hostname: extra.example.com}]
        ---
        apiVersion: gateway.envoyproxy.io/v1alpha1
        kind: Backend
        metadata: {name: b}
        spec:
          endpoints: [{ip: {address: 127.0.0.1, port: 3000}}]
        """);

    SourceSnapshot s = loader().load();

    assertThat(s.errors()).isEmpty();
    assertThat(s.resources().gatewayClasses()).singleElement()
        .satisfies(gc -> assertThat(gc.getApiVersion())
            .isEqualTo("gateway.networking.k8s.io/v1"));
    assertThat(s.resources().gatewayClasses().get(0).getMetadata().getNamespace()).isNull();
    assertThat(s.resources().httpRoutes()).hasSize(1);
    assertThat(s.resources().referenceGrants()).extracting(rg -> rg.getMetadata().getName())
        .containsExactlyInAnyOrder("rg", "rg-v1");
    assertThat(s.resources().endpointSlices()).singleElement()
        .satisfies(es -> assertThat(es.getEndpoints().get(0).getAddresses())
            .containsExactly("127.0.0.1"));
    assertThat(s.resources().secrets()).hasSize(1);
    assertThat(s.resources().backends()).singleElement()
        .satisfies(b -> assertThat(b.getAdditionalProperties()).containsKey("spec"));
    assertThat(refs(s)).contains(new ObjectRef("ConfigMap", "default", "cm"));
    assertThat(s.resources().listenerSets()).singleElement()
        .satisfies(ls -> assertThat(ls.getSpec().getListeners().get(0).getHostname())
            .isEqualTo("extra.example.com"));
  }

  @Test
  void intOrStringSurvivesTheCopyAndComparison() throws IOException {
    write("a.yaml", service("default", "named").replace("port: 80", "port: 80, targetPort: http")
        + "---\n"
        + service("default", "numbered").replace("port: 80", "port: 80, targetPort: 3000"));
    DirectoryLoader loader = loader();

    SourceSnapshot s = loader.load();
    SourceSnapshot again = loader.load();

    assertThat(s.errors()).isEmpty();
    assertThat(s.resources().services()).extracting(
        svc -> svc.getSpec().getPorts().get(0).getTargetPort().getValue())
        .containsExactly("http", 3000);
    assertThat(again.resources().services().get(0).getMetadata().getGeneration()).isEqualTo(1);
  }

  @Test
  void syntaxErrorReportsItsLineAndKeepsTheFilesLastGoodObjects() throws IOException {
    write("a.yaml", gateway("default", "gw", 80));
    write("b.yaml", service("default", "one"));
    DirectoryLoader loader = loader();
    loader.load();

    write("a.yaml", """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw: broken
        """);
    write("b.yaml", service("default", "two"));
    SourceSnapshot s = loader.load();

    assertThat(s.errors()).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("a.yaml");
      assertThat(e.line()).isEqualTo(4);
      assertThat(e.column()).isPositive();
    });
    assertThat(s.resources().gateways()).singleElement()
        .satisfies(g -> assertThat(g.getSpec().getListeners().get(0).getPort()).isEqualTo(80));
    assertThat(refs(s)).contains(new ObjectRef("Service", "default", "two"))
        .doesNotContain(new ObjectRef("Service", "default", "one"));

    write("a.yaml", gateway("default", "gw", 8080));
    SourceSnapshot fixed = loader.load();
    assertThat(fixed.errors()).isEmpty();
    assertThat(fixed.resources().gateways().get(0).getSpec().getListeners().get(0).getPort())
        .isEqualTo(8080);
  }

  @Test
  void unknownFieldIsAnErrorNamingTheFieldAndItsLine() throws IOException {
    write("a.yaml", service("default", "echo") + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
        spec:
          gatewayClassName: gc
          listners:
          - {name: http, port: 80, protocol: HTTP}
        """);

    SourceSnapshot s = loader().load();

    assertThat(s.errors()).singleElement().satisfies(e -> {
      assertThat(e.message()).contains("spec.listners");
      assertThat(e.line()).isEqualTo(13);
      assertThat(e.column()).isEqualTo(3);
    });
    assertThat(s.objects()).isEmpty(); // the file failed as a whole; there was no last good
  }

  @Test
  void wrongTypeIsAnErrorNamingTheField() throws IOException {
    write("a.yaml", """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: gc
          listeners: not-a-list
        """);

    assertThat(loader().load().errors()).singleElement().satisfies(e -> {
      assertThat(e.message()).startsWith("Gateway: spec.listeners:");
      assertThat(e.line()).isEqualTo(6);
    });
  }

  @Test
  void duplicateKeyIsAnError() throws IOException {
    write("a.yaml", service("default", "echo") + "metadata: {name: again}\n");

    assertThat(loader().load().errors()).singleElement().satisfies(e -> {
      assertThat(e.message()).contains("metadata");
      assertThat(e.line()).isEqualTo(6);
    });
  }

  @Test
  void secretStringDataIsMergedIntoDataAsTheApiServerDoes() throws IOException {
    write("a.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        data: {a: eA==, b: eA==}
        stringData: {b: hello}
        """);

    SourceSnapshot s = loader().load();

    assertThat(s.resources().secrets()).singleElement().satisfies(secret -> {
      assertThat(secret.getData()).isEqualTo(Map.of("a", "eA==", "b", "aGVsbG8="));
      assertThat(secret.getStringData()).isNullOrEmpty();
    });
  }

  @Test
  void unknownKindIsAWarningAndTheRestOfTheFileLoads() throws IOException {
    write("a.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        ---
        """ + service("default", "echo"));

    SourceSnapshot s = loader().load();

    assertThat(s.errors()).isEmpty();
    assertThat(s.warnings()).singleElement().satisfies(w -> {
      assertThat(w.message()).contains("Widget");
      assertThat(w.line()).isEqualTo(1);
    });
    assertThat(s.resources().services()).hasSize(1);
  }

  @Test
  void documentWithoutKindOrNameIsAnError() throws IOException {
    write("a.yaml", "metadata: {name: x}\n---\napiVersion: v1\nkind: Service\nmetadata: {}\n");

    List<FileError> errors = loader().load().errors();

    assertThat(errors).extracting(FileError::line).containsExactly(1, 3);
    assertThat(errors.get(1).message()).contains("metadata.name");
  }

  @Test
  void objectsOfEarlierSnapshotsAreNotChangedByLaterLoadsAndFailedFilesKeepTheirGeneration()
      throws IOException {
    DirectoryLoader loader = loader();
    write("a.yaml", gateway("default", "gw", 80));
    SourceSnapshot first = loader.load();
    Gateway before = gatewayOf(first);
    String createdBefore = before.getMetadata().getCreationTimestamp();

    write("a.yaml", gateway("default", "gw", 81));
    SourceSnapshot second = loader.load();
    assertThat(generationOf(second)).isEqualTo(2);
    assertThat(before.getMetadata().getGeneration()).isEqualTo(1); // still as handed out
    assertThat(before.getSpec().getListeners().get(0).getPort()).isEqualTo(80);

    write("a.yaml", "kind: [broken");
    SourceSnapshot failed = loader.load();
    assertThat(failed.resources().gateways()).singleElement().satisfies(g -> {
      assertThat(g.getMetadata().getGeneration()).isEqualTo(2);
      assertThat(g.getMetadata().getCreationTimestamp()).isEqualTo(createdBefore);
      assertThat(g.getSpec().getListeners().get(0).getPort()).isEqualTo(81);
    });
    assertThat(loader.load().resources().gateways().get(0).getMetadata().getGeneration())
        .isEqualTo(2);

    write("a.yaml", gateway("default", "gw", 82));
    assertThat(generationOf(loader.load())).isEqualTo(3);
    assertThat(generationOf(second)).isEqualTo(2);
  }

  @Test
  void generationBumpsOnlyWhenTheSpecChanges() throws IOException {
    DirectoryLoader loader = loader();
    write("a.yaml", gateway("default", "gw", 80));
    assertThat(generationOf(loader.load())).isEqualTo(1);

    write("a.yaml", gateway("default", "gw", 80).replace("name: gw", "name: gw\n  labels: {a: b}"));
    assertThat(generationOf(loader.load())).isEqualTo(1);

    write("a.yaml", gateway("default", "gw", 81));
    assertThat(generationOf(loader.load())).isEqualTo(2);
    assertThat(generationOf(loader.load())).isEqualTo(2);

    write("a.yaml", gateway("default", "gw", 82));
    assertThat(generationOf(loader.load())).isEqualTo(3);
  }

  @Test
  void creationTimestampIsFirstSeenAndStickyAndUidIsDeterministic() throws IOException {
    DirectoryLoader loader = loader();
    write("a.yaml", gateway("default", "gw", 80));
    HasMetadata first = gatewayOf(loader.load());

    clock.advance(Duration.ofSeconds(30));
    write("a.yaml", gateway("default", "gw", 81));
    HasMetadata second = gatewayOf(loader.load());

    assertThat(first.getMetadata().getCreationTimestamp()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(second.getMetadata().getCreationTimestamp()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(second.getMetadata().getUid()).isEqualTo(UUID
        .nameUUIDFromBytes("Gateway/default/gw".getBytes(StandardCharsets.UTF_8)).toString());

    Files.delete(dir.resolve("a.yaml"));
    assertThat(loader.load().objects()).isEmpty();
    write("a.yaml", gateway("default", "gw", 81));
    HasMetadata recreated = gatewayOf(loader.load());
    assertThat(recreated.getMetadata().getCreationTimestamp()).isEqualTo("2026-01-02T03:04:35Z");
    assertThat(recreated.getMetadata().getGeneration()).isEqualTo(1);
  }

  @Test
  void valuesWrittenInTheFileWin() throws IOException {
    write("a.yaml", gateway("default", "gw", 80).replace("name: gw",
        "name: gw\n  generation: 7\n  uid: u-1\n  creationTimestamp: \"2020-01-01T00:00:00Z\""));

    HasMetadata g = gatewayOf(loader().load());

    assertThat(g.getMetadata().getGeneration()).isEqualTo(7);
    assertThat(g.getMetadata().getUid()).isEqualTo("u-1");
    assertThat(g.getMetadata().getCreationTimestamp()).isEqualTo("2020-01-01T00:00:00Z");
  }

  @Test
  void implicitNamespacesAndTheNameLabelOnEveryNamespace() throws IOException {
    write("a.yaml", route("apps", "r") + "---\n" + service(null, "echo") + """
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: infra
          labels: {team: a}
        """);

    SourceSnapshot s = loader().load();

    assertThat(s.resources().namespaces()).extracting(n -> n.getMetadata().getName())
        .containsExactly("apps", "default", "infra");
    for (Namespace ns : s.resources().namespaces()) {
      assertThat(ns.getMetadata().getLabels())
          .containsEntry("kubernetes.io/metadata.name", ns.getMetadata().getName());
      assertThat(ns.getMetadata().getGeneration()).isEqualTo(1);
    }
    assertThat(s.resources().namespaces().get(2).getMetadata().getLabels())
        .containsEntry("team", "a");
    assertThat(s.resources().services().get(0).getMetadata().getNamespace())
        .isEqualTo("default");
  }

  @Test
  void duplicateObjectFirstByPathWinsAndTheSecondIsAnError() throws IOException {
    write("b.yaml", "# comment\n" + service("default", "echo").replace("port: 80", "port: 2"));
    write("a.yaml", service("default", "echo"));

    SourceSnapshot s = loader().load();

    assertThat(s.resources().services()).singleElement()
        .satisfies(svc -> assertThat(svc.getSpec().getPorts().get(0).getPort()).isEqualTo(80));
    assertThat(s.errors()).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("b.yaml");
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.message()).contains("Service/default/echo", "a.yaml:1");
    });
  }

  @Test
  void gatewayAddressesAreStickyInFirstSeenOrder() throws IOException {
    DirectoryLoader loader = loader();
    write("a.yaml", gateway("default", "gw-a", 80) + "---\n" + gateway("default", "gw-b", 80));
    assertThat(loader.load().resources().gatewayAddresses()).isEqualTo(Map.of(
        "default/gw-a", "127.0.0.2", "default/gw-b", "127.0.0.3"));

    write("0.yaml", gateway("default", "gw-0", 80));
    assertThat(loader.load().resources().gatewayAddresses()).isEqualTo(Map.of(
        "default/gw-0", "127.0.0.4", "default/gw-a", "127.0.0.2", "default/gw-b", "127.0.0.3"));

    write("a.yaml", gateway("default", "gw-b", 80) + "---\n" + gateway("default", "gw-c", 80)
        .replace("listeners:", "addresses: [{type: IPAddress, value: 127.0.0.5}]\n  listeners:"));
    write("d.yaml", gateway("default", "gw-d", 80));
    assertThat(loader.load().resources().gatewayAddresses()).isEqualTo(Map.of(
        "default/gw-0", "127.0.0.4", "default/gw-b", "127.0.0.3", "default/gw-d", "127.0.0.2"));
  }

  @Test
  void addressEntryWithoutValueGetsAnAssignedAddress() throws IOException {
    write("a.yaml", gateway("default", "gw-a", 80)
        .replace("listeners:", "addresses: [{type: IPAddress}]\n  listeners:") + "---\n"
        + gateway("default", "gw-h", 80)
            .replace("listeners:",
                "addresses: [{type: Hostname, value: h.example}]\n  listeners:"));

    assertThat(loader().load().resources().gatewayAddresses()).isEqualTo(Map.of(
        "default/gw-a", "127.0.0.2", "default/gw-h", "127.0.0.3"));
  }

  @Test
  void requestedAddressesThisHostCannotBindAreReportedUnusable() throws IOException {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this host; 127.0.0.9 is loopback.
    write("a.yaml", gateway("default", "gw-a", 80).replace("listeners:",
        "addresses: [{value: 192.0.2.1}, {type: IPAddress, value: 127.0.0.9},"
            + " {type: IPAddress, value: not-an-ip}, {type: Hostname, value: 192.0.2.2}]\n"
            + "  listeners:"));

    SourceSnapshot s = loader().load();

    assertThat(s.resources().unusableAddresses()).containsExactly("192.0.2.1");
    assertThat(s.resources().gatewayAddresses()).isEmpty();
  }

  @Test
  void exhaustedAddressPoolIsAnError() throws IOException {
    write("a.yaml", gateway("default", "gw-a", 80) + "---\n" + gateway("default", "gw-b", 80));
    DirectoryLoader loader = new DirectoryLoader(dir,
        FileSourceOptions.defaults().withAddressPool("127.0.1.1", "127.0.1.1"));

    SourceSnapshot s = loader.load();

    assertThat(s.resources().gatewayAddresses()).isEqualTo(Map.of("default/gw-a", "127.0.1.1"));
    assertThat(s.errors()).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("default/gw-b", "no free address"));
  }

  @Test
  void deletedFileTakesItsObjectsAway() throws IOException {
    DirectoryLoader loader = loader();
    write("a.yaml", service("default", "echo"));
    assertThat(loader.load().resources().services()).hasSize(1);

    Files.delete(dir.resolve("a.yaml"));
    SourceSnapshot s = loader.load();

    assertThat(s.objects()).isEmpty();
    assertThat(s.loadGeneration()).isEqualTo(2);
  }

  @Test
  void unlistableDirectoryKeepsEveryFilesLastGoodObjects() throws IOException {
    write("conf/a.yaml", service("default", "echo"));
    DirectoryLoader loader = new DirectoryLoader(dir.resolve("conf"), FileSourceOptions.defaults());
    assertThat(loader.load().resources().services()).hasSize(1);

    Files.delete(dir.resolve("conf/a.yaml"));
    Files.delete(dir.resolve("conf"));
    SourceSnapshot s = loader.load();

    assertThat(s.errors()).singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("Cannot list"));
    assertThat(s.resources().services()).hasSize(1);
    assertThat(loader.loadedFiles()).isNull();
    assertThat(loader.scanQuietly()).isNull();
  }

  static String gateway(String namespace, String name, int port) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: %s
          namespace: %s
        spec:
          gatewayClassName: gc
          listeners:
          - {name: http, port: %d, protocol: HTTP}
        """.formatted(name, namespace, port);
  }

  static String route(String namespace, String name) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: %s}
        spec:
          parentRefs: [{name: gw, namespace: default}]
          rules: [{backendRefs: [{name: echo, namespace: default, port: 80}]}]
        """.formatted(name, namespace);
  }

  static String service(String namespace, String name) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s%s}
        spec:
          ports: [{port: 80}]
        """.formatted(name, namespace == null ? "" : ", namespace: " + namespace);
  }

  private void write(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static List<ObjectRef> refs(SourceSnapshot s) {
    return s.objects().stream()
        .map(o -> new ObjectRef(o.getKind(),
            o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace(),
            o.getMetadata().getName()))
        .toList();
  }

  private static Gateway gatewayOf(SourceSnapshot s) {
    assertThat(s.errors()).isEmpty();
    assertThat(s.resources().gateways()).hasSize(1);
    return s.resources().gateways().get(0);
  }

  private static long generationOf(SourceSnapshot s) {
    return gatewayOf(s).getMetadata().getGeneration();
  }

}
