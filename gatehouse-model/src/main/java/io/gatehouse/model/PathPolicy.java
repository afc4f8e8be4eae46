package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/**
 * How the proxy canonicalises a request path before routing; the one canonical path is used for
 * matching, for filters and for the request forwarded upstream (SECURITY.md C1–C10). Whatever the
 * policy, the path is first checked (no {@code #}, no NUL, valid percent-encoding of well-formed
 * UTF-8), then {@code %XX} escapes of unreserved characters are decoded (RFC 3986 §2.3) and dot
 * segments are removed (RFC 3986 §5.2.4). Other escapes are kept byte for byte and never decoded
 * twice; no Unicode normalisation is applied.
 *
 * @param mergeSlashes whether runs of {@code /} become one before dot segments are removed (not per
 * RFC 3986, but what file-system backends do, so {@code //admin} cannot bypass an {@code /admin}
 * rule)
 * @param escapedSlashes what {@code %2F}, {@code %5C} and a raw backslash in the path cause
 * @param allowSemicolons whether {@code ;} may appear in segments that are not dot segments; a
 * {@code ;} (or {@code %3B}) in a dot segment ({@code ..;}, {@code .;x}) is always rejected
 */
public record PathPolicy(boolean mergeSlashes, EscapedSlashes escapedSlashes,
    boolean allowSemicolons) {
  /** Merge slashes, reject escaped slashes and backslashes, reject {@code ;}. */
  public static final PathPolicy DEFAULT = new PathPolicy(true, EscapedSlashes.REJECT, false);

  public PathPolicy {
    requireNonNull(escapedSlashes, "escapedSlashes");
  }

  /** What an escaped slash ({@code %2F}, {@code %5C}) or a backslash in the path causes. */
  public enum EscapedSlashes {
    /** 400 Bad Request (default): a backend may decode them into path separators. */
    REJECT,
    /**
     * A 307 redirect to the path with {@code %2F}, {@code %5C} and {@code \} turned into {@code /}
     * and canonicalised again; the client decides whether to follow (Envoy's
     * {@code UNESCAPE_AND_REDIRECT}).
     */
    UNESCAPE_AND_REDIRECT,
    /**
     * {@code %2F} and {@code %5C} are kept as opaque characters of a segment, for matching and
     * forwarding alike; a raw backslash is still rejected. Only safe when every backend keeps them
     * escaped too.
     */
    KEEP
  }

  public PathPolicy withMergeSlashes(boolean merge) {
    return new PathPolicy(merge, escapedSlashes, allowSemicolons);
  }

  public PathPolicy withEscapedSlashes(EscapedSlashes action) {
    return new PathPolicy(mergeSlashes, action, allowSemicolons);
  }

  public PathPolicy withAllowSemicolons(boolean allow) {
    return new PathPolicy(mergeSlashes, escapedSlashes, allow);
  }
}
