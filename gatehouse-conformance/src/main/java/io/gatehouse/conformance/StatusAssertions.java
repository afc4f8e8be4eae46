package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code assert:} kinds of README.md, polled every 100 ms until they hold or their upstream
 * timeout passes. Each check returns null when it holds, else what it saw, which becomes the
 * failure message. Kinds not implemented fail with "unsupported assertion".
 */
final class StatusAssertions {
  private static final String GW_GROUP = "gateway.networking.k8s.io";

  private final StatusView view;
  private final String controllerName;
  private final Supplier<List<Pod>> pods;
  private final Map<String, Long> recorded = new HashMap<>();
  private final Duration poll;
  private final Duration maxTimeout;

  /** With the upstream poll interval (100 ms) and timeouts. */
  StatusAssertions(StatusView view, String controllerName, Supplier<List<Pod>> pods) {
    this(view, controllerName, pods, Duration.ofMillis(100), Duration.ofSeconds(300));
  }

  /**
   * @param maxTimeout caps every assertion's timeout (unit tests use short ones)
   */
  StatusAssertions(StatusView view, String controllerName, Supplier<List<Pod>> pods,
      Duration poll, Duration maxTimeout) {
    this.view = view;
    this.controllerName = controllerName;
    this.pods = pods;
    this.poll = poll;
    this.maxTimeout = maxTimeout;
  }

  /** Runs one assertion to completion; throws {@link AssertionFailure} when it times out. */
  void run(JsonNode a) throws InterruptedException {
    String kind = a.path("assert").asText();
    Duration timeout = timeoutOf(kind);
    timeout = timeout.compareTo(maxTimeout) > 0 ? maxTimeout : timeout;
    if (kind.equals("routeNoAcceptedParents")) {
      routeNoAcceptedParents(a, timeout);
      return;
    }
    if (a.path("mode").asText().equals("oneShot")) {
      timeout = Duration.ZERO; // a single read, no polling
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String last;
    while (true) {
      last = check(kind, a);
      if (last == null) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionFailure(kind + " " + subject(a) + ": " + last + " (after "
            + timeout.toSeconds() + " s)");
      }
      Thread.sleep(poll.toMillis());
    }
  }

  static Duration timeoutOf(String kind) {
    return switch (kind) {
      case "namespacesReady" -> Duration.ofSeconds(300);
      case "routesAndParentAccepted", "listenerSetCondition" -> Duration.ofSeconds(180);
      case "gatewayAddress", "gatewayAndRoutesAccepted", "gatewayCondition",
          "gatewayClassAcceptedAny", "gatewayStatusAddresses" ->
        Duration.ofSeconds(180);
      default -> Duration.ofSeconds(60);
    };
  }

  /** One evaluation: null when the assertion holds now. */
  String check(String kind, JsonNode a) {
    return switch (kind) {
      case "namespacesReady" -> namespacesReady(a);
      case "gatewayAddress" -> gatewayAddress(a.path("gateway"));
      case "gatewayAndRoutesAccepted" -> gatewayAndRoutesAccepted(a);
      case "routeParents" -> routeParents(a.path("kind").asText(), a.path("namespace").asText(),
          a.path("name").asText(), a.path("parents"), a.path("namespaceRequired").asBoolean());
      case "routeCondition" -> routeCondition(a);
      case "routeLatestConditions" -> routeLatest(a);
      case "gatewayCondition" -> gatewayCondition(a);
      case "gatewayLatestConditions" -> gatewayLatest(a.path("gateway"));
      case "gatewayListeners" -> gatewayListeners(a);
      case "gatewayListenerConditions" -> gatewayListenerConditions(a);
      case "gatewayZeroRoutes" -> gatewayZeroRoutes(a);
      case "gatewayClassAcceptedAny" -> gatewayClassAcceptedAny(a);
      case "gatewayClassLatestConditions" -> gatewayClassLatest(a);
      case "gatewayAndTLSRoutesAccepted" -> gatewayAndTlsRoutesAccepted(a);
      case "routesAndParentAccepted" -> routesAndParentAccepted(a);
      case "backendTLSPolicyCondition" -> policyCondition(a);
      case "backendTLSPolicyLatestConditions" -> policyLatest(a);
      case "specListenerCount" -> specCount(a, "listeners");
      case "specAddressCount" -> specCount(a, "addresses");
      case "listenerSetCondition" -> listenerSetCondition(a);
      case "listenerSetListeners" -> listenerSetListeners(a);
      case "listenerSetListenerConditions" -> listenerSetListenerConditions(a);
      case "gatewayAttachedListenerSets" -> attachedListenerSets(a);
      case "gatewayStatusAddresses" -> GatewayInfrastructureChecks.statusAddresses(a,
          gateway(a.path("gateway")));
      case "generatedInfrastructureMetadata" -> GatewayInfrastructureChecks.generatedMetadata(a,
          view.objects());
      case "recordGeneration" -> recordGeneration(a);
      case "generationChanged" -> generationChanged(a);
      default -> throw new AssertionFailure("unsupported assertion: " + kind);
    };
  }

  private static String subject(JsonNode a) {
    if (a.has("gateway")) {
      return "Gateway " + a.path("gateway").path("namespace").asText() + "/"
          + a.path("gateway").path("name").asText();
    }
    if (a.has("policy")) {
      return "BackendTLSPolicy " + a.path("policy").path("namespace").asText() + "/"
          + a.path("policy").path("name").asText();
    }
    if (a.has("parent")) {
      return a.path("parent").path("kind").asText() + " "
          + a.path("parent").path("namespace").asText() + "/"
          + a.path("parent").path("name").asText();
    }
    if (a.has("listenerSet")) {
      return "ListenerSet " + a.path("listenerSet").path("namespace").asText() + "/"
          + a.path("listenerSet").path("name").asText();
    }
    if (a.has("gatewayClass")) {
      return "GatewayClass " + a.path("gatewayClass").asText();
    }
    if (a.has("namespaces")) {
      return a.path("namespaces").toString();
    }
    String ns = a.path("namespace").asText("");
    return a.path("kind").asText() + " " + (ns.isEmpty() || ns.equals("null") ? "" : ns + "/")
        + a.path("name").asText();
  }

  // --- Gateways -------------------------------------------------------------------------------

  private Optional<ObjectNode> gateway(JsonNode ref) {
    return view.object("Gateway", ref.path("namespace").asText(), ref.path("name").asText());
  }

  private static long generation(JsonNode o) {
    return o.path("metadata").path("generation").asLong();
  }

  private static String notLatest(JsonNode conditions, long generation) {
    return Conditions.latest(conditions, generation)
        ? null
        : "conditions not latest (generation " + generation + "): "
            + Conditions.describe(conditions);
  }

  private String gatewayLatest(JsonNode ref) {
    Optional<ObjectNode> gw = gateway(ref);
    if (gw.isEmpty()) {
      return "Gateway not found";
    }
    return notLatest(gw.get().path("status").path("conditions"), generation(gw.get()));
  }

  private String gatewayAddress(JsonNode ref) {
    String latest = gatewayLatest(ref);
    if (latest != null) {
      return latest;
    }
    for (JsonNode addr : gateway(ref).orElseThrow().path("status").path("addresses")) {
      if (!addr.path("type").asText().isEmpty() && !addr.path("value").asText().isEmpty()) {
        return null;
      }
    }
    return "no status.addresses entry with a type: "
        + gateway(ref).orElseThrow().path("status").path("addresses");
  }

  /** The Gateway's first status address, or empty. */
  Optional<String> addressOf(String namespace, String name) {
    return view.object("Gateway", namespace, name)
        .flatMap(g -> {
          for (JsonNode addr : g.path("status").path("addresses")) {
            if (!addr.path("value").asText().isEmpty()) {
              return Optional.of(addr.path("value").asText());
            }
          }
          return Optional.empty();
        });
  }

  private String gatewayAndRoutesAccepted(JsonNode a) {
    return gatewayAndRoutesAccepted(a, true);
  }

  /** Like gatewayAndRoutesAccepted without the listener step (and for TLSRoutes). */
  private String gatewayAndTlsRoutesAccepted(JsonNode a) {
    ObjectNode copy = a.deepCopy();
    copy.put("routeKind", a.path("routeKind").asText("TLSRoute"));
    return gatewayAndRoutesAccepted(copy, false);
  }

  private String gatewayAndRoutesAccepted(JsonNode a, boolean listenerStep) {
    JsonNode gwRef = a.path("gateway");
    String address = gatewayAddress(gwRef);
    if (address != null) {
      return address;
    }
    String gwNs = gwRef.path("namespace").asText();
    String routeKind = a.path("routeKind").asText("HTTPRoute");
    for (JsonNode route : a.path("routes")) {
      String ns = route.path("namespace").asText();
      ObjectNode parent = ObjectNodes.object();
      ObjectNode pref = parent.putObject("parentRef");
      pref.put("group", GW_GROUP).put("kind", "Gateway").put("namespace", gwNs)
          .put("name", gwRef.path("name").asText());
      parent.put("controllerName", controllerName);
      parent.putArray("conditions").addObject()
          .put("type", "Accepted").put("status", "True").put("reason", "Accepted");
      int count = a.path("listenerNames").isArray()
          ? Math.max(1, a.path("listenerNames").size())
          : 1;
      var parents = ObjectNodes.array();
      for (int i = 0; i < count; i++) {
        parents.add(parent);
      }
      String problem = routeParents(routeKind, ns, route.path("name").asText(), parents,
          !ns.equals(gwNs));
      if (problem != null) {
        return routeKind + " " + ns + "/" + route.path("name").asText() + ": " + problem;
      }
    }
    if (!listenerStep) {
      return null;
    }
    for (JsonNode l : gateway(gwRef).orElseThrow().path("status").path("listeners")) {
      for (String type : List.of("ResolvedRefs", "Accepted", "Programmed")) {
        ObjectNode expected = ObjectNodes.object().put("type", type).put("status", "True");
        if (!Conditions.has(l.path("conditions"), expected)) {
          return "listener " + l.path("name").asText() + " lacks " + type + "=True: "
              + Conditions.describe(l.path("conditions"));
        }
      }
    }
    return null;
  }

  private String gatewayCondition(JsonNode a) {
    String latest = gatewayLatest(a.path("gateway"));
    if (latest != null) {
      return latest;
    }
    JsonNode conditions = gateway(a.path("gateway")).orElseThrow().path("status").path(
        "conditions");
    return Conditions.has(conditions, a.path("condition"))
        ? null
        : "expected " + Conditions.describeExpected(a.path("condition")) + ", got "
            + Conditions.describe(conditions);
  }

  private String gatewayListeners(JsonNode a) {
    String latest = gatewayLatest(a.path("gateway"));
    if (latest != null) {
      return latest;
    }
    JsonNode actual = gateway(a.path("gateway")).orElseThrow().path("status").path("listeners");
    JsonNode expected = a.path("listeners");
    if (actual.size() != expected.size()) {
      return "expected " + expected.size() + " listeners, got " + actual.size() + ": " + actual;
    }
    for (JsonNode e : expected) {
      JsonNode l = listener(actual, e.path("name").asText());
      if (l == null) {
        return "listener " + e.path("name").asText() + " missing";
      }
      String problem = compareListener(e, l);
      if (problem != null) {
        return "listener " + e.path("name").asText() + ": " + problem;
      }
    }
    return null;
  }

  static String compareListener(JsonNode e, JsonNode l) {
    JsonNode kinds = l.path("supportedKinds");
    if (e.path("supportedKinds").isEmpty() && !kinds.isEmpty()) {
      return "expected no supportedKinds, got " + kinds;
    }
    for (JsonNode k : e.path("supportedKinds")) {
      String group = k.path("group").asText(GW_GROUP);
      boolean found = false;
      for (JsonNode ak : kinds) {
        found |= ak.path("kind").asText().equals(k.path("kind").asText())
            && ak.path("group").asText(GW_GROUP).equals(group);
      }
      if (!found) {
        return "supportedKinds " + kinds + " lacks " + k.path("kind").asText();
      }
    }
    if (e.has("attachedRoutes")
        && l.path("attachedRoutes").asLong(-1) != e.path("attachedRoutes").asLong()) {
      return "attachedRoutes " + l.path("attachedRoutes") + ", expected "
          + e.path("attachedRoutes");
    }
    for (JsonNode c : e.path("conditions")) {
      if (!Conditions.has(l.path("conditions"), c)) {
        return "expected " + Conditions.describeExpected(c) + ", got "
            + Conditions.describe(l.path("conditions"));
      }
    }
    return null;
  }

  private static JsonNode listener(JsonNode listeners, String name) {
    for (JsonNode l : listeners) {
      if (l.path("name").asText().equals(name)) {
        return l;
      }
    }
    return null;
  }

  private String gatewayListenerConditions(JsonNode a) {
    Optional<ObjectNode> gw = gateway(a.path("gateway"));
    if (gw.isEmpty()) {
      return "Gateway not found";
    }
    JsonNode listeners = gw.get().path("status").path("listeners");
    List<String> names = new java.util.ArrayList<>();
    if (a.path("listenerNames").isArray()) {
      a.path("listenerNames").forEach(n -> names.add(n.asText()));
    } else if (a.hasNonNull("listenerName")) {
      names.add(a.path("listenerName").asText());
    } else {
      listeners.forEach(l -> names.add(l.path("name").asText()));
    }
    return missingListenerConditions(listeners, names, a.path("conditions"));
  }

  private String gatewayZeroRoutes(JsonNode a) {
    String latest = gatewayLatest(a.path("gateway"));
    if (latest != null) {
      return latest;
    }
    JsonNode listeners = gateway(a.path("gateway")).orElseThrow().path("status").path("listeners");
    if (listeners.isEmpty()
        || listeners.size() == 1 && listeners.get(0).path("attachedRoutes").asLong(-1) == 0) {
      return null;
    }
    return "expected zero attached routes, listeners: " + listeners;
  }

  private String namespacesReady(JsonNode a) {
    for (JsonNode nsNode : a.path("namespaces")) {
      String ns = nsNode.asText();
      for (ObjectNode o : view.objects()) {
        if (!o.path("kind").asText().equals("Gateway")
            || !o.path("metadata").path("namespace").asText().equals(ns)
            || o.path("metadata").path("annotations")
                .path("gateway-api/skip-this-for-readiness").asText().equals("true")) {
          continue;
        }
        JsonNode conditions = o.path("status").path("conditions");
        String name = "Gateway " + ns + "/" + o.path("metadata").path("name").asText();
        String latest = notLatest(conditions, generation(o));
        if (latest != null) {
          return name + ": " + latest;
        }
        for (String type : List.of("Accepted", "Programmed")) {
          if (!Conditions.has(conditions,
              ObjectNodes.object().put("type", type).put("status", "True"))) {
            return name + " not " + type + ": " + Conditions.describe(conditions);
          }
        }
      }
      if (pods.get().stream().noneMatch(p -> p.namespace().equals(ns))) {
        return "no pods in " + ns;
      }
    }
    return null;
  }

  // --- Routes ---------------------------------------------------------------------------------

  private String routeParents(String kind, String ns, String name, JsonNode expectedParents,
      boolean namespaceRequired) {
    Optional<ObjectNode> route = view.object(kind, ns, name);
    if (route.isEmpty()) {
      return "not found";
    }
    JsonNode parents = route.get().path("status").path("parents");
    long gen = generation(route.get());
    for (JsonNode p : parents) {
      String latest = notLatest(p.path("conditions"), gen);
      if (latest != null) {
        return "parent " + p.path("parentRef") + ": " + latest;
      }
    }
    for (JsonNode e : expectedParents) {
      boolean found = false;
      for (JsonNode p : parents) {
        found |= parentMatches(e, p, namespaceRequired);
      }
      if (!found) {
        return "no status parent matches " + e.path("parentRef") + " with "
            + conditionList(e.path("conditions")) + "; parents: " + describeParents(parents);
      }
    }
    return null;
  }

  private static boolean parentMatches(JsonNode e, JsonNode p, boolean namespaceRequired) {
    JsonNode ep = e.path("parentRef");
    JsonNode ap = p.path("parentRef");
    if (!p.path("controllerName").asText().equals(e.path("controllerName").asText())) {
      return false;
    }
    if (!ap.hasNonNull("group") || !ap.path("group").asText().equals(ep.path("group").asText())
        || !ap.hasNonNull("kind") || !ap.path("kind").asText().equals(ep.path("kind").asText())
        || !ap.path("name").asText().equals(ep.path("name").asText())) {
      return false;
    }
    if ((namespaceRequired || ap.hasNonNull("namespace"))
        && !ap.path("namespace").asText().equals(ep.path("namespace").asText())) {
      return false;
    }
    for (JsonNode c : e.path("conditions")) {
      if (!Conditions.has(p.path("conditions"), c)) {
        return false;
      }
    }
    return true;
  }

  private static String conditionList(JsonNode conditions) {
    StringBuilder sb = new StringBuilder();
    conditions.forEach(c -> sb.append(sb.length() == 0 ? "" : ", ")
        .append(Conditions.describeExpected(c)));
    return "[" + sb + "]";
  }

  private static String describeParents(JsonNode parents) {
    StringBuilder sb = new StringBuilder("[");
    for (JsonNode p : parents) {
      sb.append(sb.length() > 1 ? "; " : "").append(p.path("parentRef")).append(" ")
          .append(p.path("controllerName").asText()).append(" ")
          .append(Conditions.describe(p.path("conditions")));
    }
    return sb.append(']').toString();
  }

  private String routeLatest(JsonNode a) {
    Optional<ObjectNode> route = view.object(a.path("kind").asText(), a.path("namespace").asText(),
        a.path("name").asText());
    if (route.isEmpty()) {
      return "not found";
    }
    long gen = generation(route.get());
    JsonNode parents = route.get().path("status").path("parents");
    if (parents.isEmpty()) {
      return "no status.parents yet";
    }
    for (JsonNode p : parents) {
      String latest = notLatest(p.path("conditions"), gen);
      if (latest != null) {
        return "parent " + p.path("parentRef") + ": " + latest;
      }
    }
    return null;
  }

  private String routeCondition(JsonNode a) {
    String latest = routeLatest(a);
    if (latest != null) {
      return latest;
    }
    JsonNode parents = view.object(a.path("kind").asText(), a.path("namespace").asText(),
        a.path("name").asText()).orElseThrow().path("status").path("parents");
    JsonNode ref = a.path("parentRef");
    for (JsonNode p : parents) {
      JsonNode ap = p.path("parentRef");
      boolean nsOk = !ap.hasNonNull("namespace") || !ref.hasNonNull("namespace")
          || ap.path("namespace").asText().equals(ref.path("namespace").asText());
      if (ap.path("name").asText().equals(ref.path("name").asText()) && nsOk
          && Conditions.has(p.path("conditions"), a.path("condition"))) {
        return null;
      }
    }
    return "expected " + Conditions.describeExpected(a.path("condition")) + " for parent "
        + ref.path("name").asText() + "; parents: " + describeParents(parents);
  }

  private void routeNoAcceptedParents(JsonNode a, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int emptySeen = 0;
    String last = "";
    while (System.nanoTime() - deadline < 0) {
      Optional<ObjectNode> route = view.object(a.path("kind").asText(),
          a.path("namespace").asText(), a.path("name").asText());
      if (route.isEmpty()) {
        last = "not found";
      } else {
        JsonNode parents = route.get().path("status").path("parents");
        if (parents.isEmpty()) {
          if (++emptySeen >= 2) {
            return;
          }
          last = "parents empty once";
        } else {
          emptySeen = 0;
          JsonNode conds = parents.get(0).path("conditions");
          boolean notAccepted = Conditions.has(conds,
              ObjectNodes.object().put("type", "Accepted").put("status", "False"));
          if (parents.size() == 1 && Conditions.latest(conds, generation(route.get()))
              && notAccepted) {
            return;
          }
          last = "expected no parents or one latest parent with Accepted=False; parents: "
              + describeParents(parents);
        }
      }
      Thread.sleep(Math.min(1000, Math.max(poll.toMillis(), timeout.toMillis() / 4)));
    }
    throw new AssertionFailure("routeNoAcceptedParents " + subject(a) + ": " + last);
  }

  // --- BackendTLSPolicies, ListenerSets, spec counts ----------------------------------------

  private Optional<ObjectNode> ref(String kind, JsonNode ref) {
    return view.object(kind, ref.path("namespace").asText(), ref.path("name").asText());
  }

  private String policyLatest(JsonNode a) {
    Optional<ObjectNode> p = ref("BackendTLSPolicy", a.path("policy"));
    if (p.isEmpty()) {
      return "not found";
    }
    for (JsonNode anc : p.get().path("status").path("ancestors")) {
      String latest = notLatest(anc.path("conditions"), generation(p.get()));
      if (latest != null) {
        return "ancestor " + anc.path("ancestorRef") + ": " + latest;
      }
    }
    return null;
  }

  private String policyCondition(JsonNode a) {
    String latest = policyLatest(a);
    if (latest != null) {
      return latest;
    }
    JsonNode ancestors = ref("BackendTLSPolicy", a.path("policy")).orElseThrow().path("status")
        .path("ancestors");
    JsonNode want = a.path("ancestor");
    for (JsonNode anc : ancestors) {
      JsonNode r = anc.path("ancestorRef");
      boolean nsOk = !r.hasNonNull("namespace")
          || r.path("namespace").asText().equals(want.path("namespace").asText());
      if (r.path("name").asText().equals(want.path("name").asText()) && nsOk
          && Conditions.has(anc.path("conditions"), a.path("condition"))) {
        return null;
      }
    }
    return "expected " + Conditions.describeExpected(a.path("condition")) + " for ancestor "
        + want.path("name").asText() + "; ancestors: " + ancestors;
  }

  /**
   * Steps (2) and (3) of gatewayAndRoutesAccepted with the given parent (a ListenerSet): every
   * route has it as an accepted parent, the ListenerSet is latest and all its listeners are
   * ResolvedRefs, Accepted and Programmed.
   */
  private String routesAndParentAccepted(JsonNode a) {
    JsonNode parentRef = a.path("parent");
    String parentNs = parentRef.path("namespace").asText();
    for (JsonNode route : a.path("routes")) {
      String ns = route.path("namespace").asText();
      ObjectNode parent = ObjectNodes.object();
      parent.set("parentRef", parentRef.deepCopy());
      parent.put("controllerName", controllerName);
      parent.putArray("conditions").addObject()
          .put("type", "Accepted").put("status", "True").put("reason", "Accepted");
      String problem = routeParents(a.path("routeKind").asText("HTTPRoute"), ns,
          route.path("name").asText(), ObjectNodes.array().add(parent), !ns.equals(parentNs));
      if (problem != null) {
        return ns + "/" + route.path("name").asText() + ": " + problem;
      }
    }
    String kind = parentRef.path("kind").asText("Gateway");
    Optional<ObjectNode> p = ref(kind, parentRef);
    if (p.isEmpty()) {
      return kind + " " + parentNs + "/" + parentRef.path("name").asText() + " not found";
    }
    String latest = notLatest(p.get().path("status").path("conditions"), generation(p.get()));
    if (latest != null) {
      return kind + " " + latest;
    }
    for (JsonNode l : p.get().path("status").path("listeners")) {
      for (String type : List.of("ResolvedRefs", "Accepted", "Programmed")) {
        if (!Conditions.has(l.path("conditions"),
            ObjectNodes.object().put("type", type).put("status", "True"))) {
          return "listener " + l.path("name").asText() + " lacks " + type + "=True: "
              + Conditions.describe(l.path("conditions"));
        }
      }
    }
    return null;
  }

  private String specCount(JsonNode a, String field) {
    Optional<ObjectNode> gw = gateway(a.path("gateway"));
    if (gw.isEmpty()) {
      return "Gateway not found";
    }
    int n = gw.get().path("spec").path(field).size();
    return n == a.path("count").asInt()
        ? null
        : "spec." + field + " has " + n + " entries, expected " + a.path("count").asInt();
  }

  private String listenerSetLatest(JsonNode a) {
    Optional<ObjectNode> ls = ref("ListenerSet", a.path("listenerSet"));
    if (ls.isEmpty()) {
      return "ListenerSet not found";
    }
    return notLatest(ls.get().path("status").path("conditions"), generation(ls.get()));
  }

  private String listenerSetCondition(JsonNode a) {
    String latest = listenerSetLatest(a);
    if (latest != null) {
      return latest;
    }
    JsonNode conditions = ref("ListenerSet", a.path("listenerSet")).orElseThrow().path("status")
        .path("conditions");
    return Conditions.has(conditions, a.path("condition"))
        ? null
        : "expected " + Conditions.describeExpected(a.path("condition")) + ", got "
            + Conditions.describe(conditions);
  }

  private String listenerSetListeners(JsonNode a) {
    String latest = listenerSetLatest(a);
    if (latest != null) {
      return latest;
    }
    JsonNode actual = ref("ListenerSet", a.path("listenerSet")).orElseThrow().path("status")
        .path("listeners");
    JsonNode expected = a.path("listeners");
    if (actual.size() != expected.size()) {
      return "expected " + expected.size() + " listeners, got " + actual.size() + ": " + actual;
    }
    for (JsonNode e : expected) {
      JsonNode l = listener(actual, e.path("name").asText());
      String problem = l == null ? "missing" : compareListener(e, l);
      if (problem != null) {
        return "listener " + e.path("name").asText() + ": " + problem;
      }
    }
    return null;
  }

  private String listenerSetListenerConditions(JsonNode a) {
    String latest = listenerSetLatest(a);
    if (latest != null) {
      return latest;
    }
    JsonNode listeners = ref("ListenerSet", a.path("listenerSet")).orElseThrow().path("status")
        .path("listeners");
    List<String> names = new java.util.ArrayList<>();
    if (a.path("listenerNames").isArray()) {
      a.path("listenerNames").forEach(n -> names.add(n.asText()));
    } else {
      listeners.forEach(l -> names.add(l.path("name").asText()));
    }
    return missingListenerConditions(listeners, names, a.path("conditions"));
  }

  private String attachedListenerSets(JsonNode a) {
    String latest = gatewayLatest(a.path("gateway"));
    if (latest != null) {
      return latest;
    }
    long n = gateway(a.path("gateway")).orElseThrow().path("status").path("attachedListenerSets")
        .asLong(0);
    return n == a.path("count").asLong()
        ? null
        : "status.attachedListenerSets " + n + ", expected " + a.path("count").asLong();
  }

  // --- GatewayClasses and generations ---------------------------------------------------------

  private String gatewayClassAcceptedAny(JsonNode a) {
    Optional<ObjectNode> gc = view.object("GatewayClass", "", a.path("gatewayClass").asText());
    if (gc.isEmpty()) {
      return "GatewayClass not found";
    }
    JsonNode conditions = gc.get().path("status").path("conditions");
    String latest = notLatest(conditions, generation(gc.get()));
    if (latest != null) {
      return latest;
    }
    for (JsonNode c : conditions) {
      if (c.path("type").asText().equals("Accepted")) {
        return null;
      }
    }
    return "no Accepted condition: " + Conditions.describe(conditions);
  }

  private String gatewayClassLatest(JsonNode a) {
    Optional<ObjectNode> gc = view.object("GatewayClass", "", a.path("gatewayClass").asText());
    if (gc.isEmpty()) {
      return "GatewayClass not found";
    }
    return notLatest(gc.get().path("status").path("conditions"), generation(gc.get()));
  }

  private Optional<ObjectNode> target(JsonNode a) {
    String ns = a.path("namespace").isTextual() ? a.path("namespace").asText() : "";
    return view.object(a.path("kind").asText(), ns, a.path("name").asText());
  }

  private String recordGeneration(JsonNode a) {
    Optional<ObjectNode> o = target(a);
    if (o.isEmpty()) {
      return "not found";
    }
    recorded.put(subject(a), generation(o.get()));
    return null;
  }

  private String generationChanged(JsonNode a) {
    Long before = recorded.get(subject(a));
    if (before == null) {
      throw new AssertionFailure(
          "generationChanged " + subject(a) + ": no recordGeneration before");
    }
    Optional<ObjectNode> o = target(a);
    if (o.isEmpty()) {
      return "not found";
    }
    return generation(o.get()) != before
        ? null
        : "metadata.generation still " + before + " after the spec change";
  }

  /** Null when every named listener exists and has every expected condition, else why not. */
  private static @Nullable String missingListenerConditions(JsonNode listeners, List<String> names,
      JsonNode expected) {
    for (String name : names) {
      JsonNode l = listener(listeners, name);
      if (l == null) {
        return "listener " + name + " missing";
      }
      for (JsonNode c : expected) {
        if (!Conditions.has(l.path("conditions"), c)) {
          return "listener " + name + ": expected " + Conditions.describeExpected(c) + ", got "
              + Conditions.describe(l.path("conditions"));
        }
      }
    }
    return null;
  }
}
