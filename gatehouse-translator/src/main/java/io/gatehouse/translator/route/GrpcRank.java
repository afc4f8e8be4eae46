package io.gatehouse.translator.route;

import java.util.Comparator;

/**
 * What orders the matches of GRPCRoute rules (GRPCRouteRule.matches), after the hostname: the match
 * with the most characters in its service, then in its method, then with the most header matches
 * takes precedence. Characters are counted as written, for RegularExpression matches too (the spec
 * does not distinguish the types); an absent service or method counts 0.
 *
 * @param service characters in the method match's service
 * @param method characters in the method match's method
 * @param headers number of header matches (after duplicates are ignored)
 */
public record GrpcRank(int service, int method, int headers) {
  /** Highest precedence first. */
  public static final Comparator<GrpcRank> ORDER = Comparator
      .comparingInt(GrpcRank::service).reversed()
      .thenComparing(Comparator.comparingInt(GrpcRank::method).reversed())
      .thenComparing(Comparator.comparingInt(GrpcRank::headers).reversed());
}
