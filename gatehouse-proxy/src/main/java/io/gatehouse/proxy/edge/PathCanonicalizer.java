package io.gatehouse.proxy.edge;

import io.gatehouse.model.PathPolicy;
import io.gatehouse.model.PathPolicy.EscapedSlashes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Turns a request path as received into the one path used for matching, filters and forwarding
 * (SECURITY.md rule 5, tests C1–C10), per a {@link PathPolicy}:
 *
 * <ol>
 * <li>reject any character outside visible ASCII, a {@code #}, a {@code %} not followed by two hex
 * digits, {@code %00}, and escapes that do not decode to well-formed UTF-8 (overlong forms such as
 * {@code %c0%ae} included);
 * <li>decode the escapes of unreserved characters ({@code ALPHA DIGIT - . _ ~}, RFC 3986 §2.3);
 * keep every other escape as received (so {@code %252e} stays {@code %252e}: decoded once, by the
 * backend);
 * <li>escaped slashes {@code %2F}/{@code %5C} and backslashes: reject, unescape into {@code /} and
 * ask for a redirect, or keep, per the policy;
 * <li>reject {@code ;} in a segment that is empty, {@code .} or {@code ..} before it (Tomcat's
 * {@code ..;} bypass), and any raw {@code ;} unless the policy allows it;
 * <li>merge runs of {@code /} when the policy says so, then remove dot segments (RFC 3986 §5.2.4).
 * </ol>
 * No Unicode normalisation: {@code %ef%bc%8e} (a fullwidth dot) is not a dot.
 */
public final class PathCanonicalizer {
  private PathCanonicalizer() {
  }

  /** The outcome for one path. */
  public sealed interface Result {
  }

  /** Route and forward {@code path}. */
  public record Canonical(String path) implements Result {
  }

  /** Answer 307 with {@code path} (escaped slashes unescaped, then canonicalised). */
  public record Redirect(String path) implements Result {
  }

  /** Answer 400; {@code reason} is safe to show to the client. */
  public record Rejected(String reason) implements Result {
  }

  /**
   * @param path the path of an origin-form request target (starts with {@code /}), without the
   * query string
   */
  public static Result canonicalize(String path, PathPolicy policy) {
    if (isCanonical(path)) {
      return new Canonical(path);
    }
    StringBuilder out = new StringBuilder(path.length());
    ByteArrayOutputStream decoded = new ByteArrayOutputStream(path.length());
    boolean unescaped = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return new Rejected("invalid character in path");
      }
      if (c == '#') {
        return new Rejected("'#' in request target");
      }
      if (c == '\\') {
        if (policy.escapedSlashes() != EscapedSlashes.UNESCAPE_AND_REDIRECT) {
          return new Rejected("backslash in path");
        }
        out.append('/');
        decoded.write('/');
        unescaped = true;
        continue;
      }
      if (c != '%') {
        out.append(c);
        decoded.write(c);
        continue;
      }
      int b = i + 2 < path.length() ? hexByte(path.charAt(i + 1), path.charAt(i + 2)) : -1;
      if (b < 0) {
        return new Rejected("invalid percent-encoding in path");
      }
      if (b == 0) {
        return new Rejected("NUL in path");
      }
      decoded.write(b);
      if (isUnreserved(b)) {
        out.append((char) b);
      } else if (b == '/' || b == '\\') {
        switch (policy.escapedSlashes()) {
          case REJECT -> {
            return new Rejected("escaped slash in path");
          }
          case UNESCAPE_AND_REDIRECT -> {
            out.append('/');
            unescaped = true;
          }
          case KEEP -> out.append(path, i, i + 3);
        }
      } else {
        out.append(path, i, i + 3);
      }
      i += 2;
    }
    if (!isUtf8(decoded.toByteArray())) {
      return new Rejected("path is not valid UTF-8");
    }
    String merged = policy.mergeSlashes() ? mergeSlashes(out) : out.toString();
    String bad = checkSemicolons(merged, policy.allowSemicolons());
    if (bad != null) {
      return new Rejected(bad);
    }
    String canonical = removeDotSegments(merged);
    return unescaped ? new Redirect(canonical) : new Canonical(canonical);
  }

  /** A reason to reject {@code path}'s semicolons, or null when they are fine. */
  /**
   * Whether every step above leaves {@code path} as it is, whatever the policy: visible ASCII
   * without {@code # % \\ ;}, no empty segment (so no run of {@code /}) and no dot segment. The
   * common case, answered without decoding.
   */
  static boolean isCanonical(String path) {
    int n = path.length();
    if (n == 0 || path.charAt(0) != '/') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '#' || c == '%' || c == '\\' || c == ';') {
        return false;
      }
      if (c == '/' && i + 1 < n) {
        char d = path.charAt(i + 1);
        if (d == '/') {
          return false;
        }
        if (d == '.') {
          int j = i + 2;
          if (j < n && path.charAt(j) == '.') {
            j++;
          }
          if (j == n || path.charAt(j) == '/') {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static @Nullable String checkSemicolons(String path, boolean allowed) {
    int start = 0;
    while (start < path.length()) {
      int end = path.indexOf('/', start + 1);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start + 1, end);
      int semi = paramStart(segment);
      if (semi >= 0) {
        String name = segment.substring(0, semi);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
          return "';' in a dot segment";
        }
        if (!allowed && segment.indexOf(';') >= 0) {
          return "';' in path";
        }
      }
      start = end;
    }
    return null;
  }

  /** Where {@code ;} or {@code %3B} first occurs in {@code segment}, or -1. */
  private static int paramStart(String segment) {
    int semi = segment.indexOf(';');
    for (int i = segment.indexOf('%'); i >= 0 && i + 2 < segment.length()
        && (semi < 0 || i < semi); i = segment.indexOf('%', i + 1)) {
      if (segment.charAt(i + 1) == '3' && (segment.charAt(i + 2) | 0x20) == 'b') {
        return i;
      }
    }
    return semi;
  }

  private static String mergeSlashes(CharSequence path) {
    StringBuilder sb = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c != '/' || sb.isEmpty() || sb.charAt(sb.length() - 1) != '/') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** RFC 3986 §5.2.4 for an absolute path; the result starts with {@code /}. */
  static String removeDotSegments(String path) {
    StringBuilder out = new StringBuilder(path.length());
    int i = 0;
    int n = path.length();
    while (i < n) {
      if (path.startsWith("/./", i)) {
        i += 2;
      } else if (i + 2 == n && path.startsWith("/.", i)) {
        out.append('/');
        i = n;
      } else if (path.startsWith("/../", i)) {
        i += 3;
        dropLastSegment(out);
      } else if (i + 3 == n && path.startsWith("/..", i)) {
        dropLastSegment(out);
        out.append('/');
        i = n;
      } else {
        int next = path.indexOf('/', i + 1);
        int end = next < 0 ? n : next;
        out.append(path, i, end);
        i = end;
      }
    }
    return out.isEmpty() ? "/" : out.toString();
  }

  private static void dropLastSegment(StringBuilder out) {
    int slash = out.lastIndexOf("/");
    out.setLength(Math.max(slash, 0));
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean isUnreserved(int b) {
    return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-'
        || b == '.' || b == '_' || b == '~';
  }

  private static int hexByte(char hi, char lo) {
    int h = Character.digit(hi, 16);
    int l = Character.digit(lo, 16);
    return h < 0 || l < 0 ? -1 : h << 4 | l;
  }
}
