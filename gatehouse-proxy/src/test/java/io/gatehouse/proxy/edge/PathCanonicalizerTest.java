package io.gatehouse.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.PathPolicy;
import io.gatehouse.model.PathPolicy.EscapedSlashes;
import io.gatehouse.proxy.edge.PathCanonicalizer.Canonical;
import io.gatehouse.proxy.edge.PathCanonicalizer.Redirect;
import io.gatehouse.proxy.edge.PathCanonicalizer.Rejected;
import io.gatehouse.proxy.edge.PathCanonicalizer.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SECURITY.md C1–C6 and C10 on the canonicaliser alone; the ITs send them over the wire. */
class PathCanonicalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      # C1: dot segments (also escaped), slash merging
      /public/../admin                 | /admin
      /public/%2e%2e/admin             | /admin
      /public/%2E%2E/admin             | /admin
      /public/.%2e/admin               | /admin
      /public/./../admin               | /admin
      //admin                          | /admin
      /public//..//admin               | /admin
      /../../admin                     | /admin
      /public/..                       | /
      /public/.                        | /public/
      /public/x/..                     | /public/
      /public/...                      | /public/...
      /public/.hidden/..x              | /public/.hidden/..x
      /                                | /
      # unreserved escapes are decoded, others kept as received
      /%41%7e%5f%2D                    | /A~_-
      # C3: decoded once only
      /public/%252e%252e/admin         | /public/%252e%252e/admin
      # C4: fullwidth dots are not dots (no Unicode normalisation)
      /public/%ef%bc%8e%ef%bc%8e/admin | /public/%ef%bc%8e%ef%bc%8e/admin
      # C6: %23 stays literal
      /public/%23/x                    | /public/%23/x
      # C10: %3F is not a separator
      /a%3Fb                           | /a%3Fb
      /a/../b                          | /b
      # CRLF stays percent-encoded (B2)
      /%0d%0aSet-Cookie:crlf=injection | /%0d%0aSet-Cookie:crlf=injection
      # %3B outside a dot segment is an ordinary character
      /a%3Bb                           | /a%3Bb
      """)
  void canonicalisesByDefault(String in, String expected) {
    assertThat(PathCanonicalizer.canonicalize(in, PathPolicy.DEFAULT))
        .isEqualTo(new Canonical(expected));
  }

  @ParameterizedTest(name = "{0} rejected")
  @CsvSource(delimiter = '|', textBlock = """
      # C2: escaped slashes
      /public%2F..%2Fadmin
      /public%2fsecret
      /public%5c..%5cadmin
      # C4: backslash, overlong UTF-8, NUL
      /public\\..\\admin
      /public/..%c0%af/admin
      /public/%c0%ae%c0%ae/admin
      /public/%e0%80%ae/admin
      /public/%00
      # invalid UTF-8 and invalid escapes
      /public/%ff
      /public/%ed%a0%80
      /public/%
      /public/%2
      /public/%zz
      /public/%u002e
      /%%32%65
      # C5: semicolons
      /public/..;/admin
      /admin;jsessionid=x
      /public;/../admin
      /public/.;x/admin
      /public/;/admin
      /public/..%3b/admin
      # C6: '#'
      /public#frag
      """)
  void rejectsByDefault(String in) {
    assertThat(PathCanonicalizer.canonicalize(in, PathPolicy.DEFAULT))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void rejectsCharactersOutsideVisibleAscii() {
    for (String in : new String[]{"/a b", "/a\tb", "/a\u007fb", "/caf\u00e9", "/a\r\nb"}) {
      assertThat(PathCanonicalizer.canonicalize(in, PathPolicy.DEFAULT)).as(in)
          .isInstanceOf(Rejected.class);
    }
  }

  @ParameterizedTest(name = "{0} -> 307 {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /public%2F..%2Fadmin | /admin
      /public%2fsecret     | /public/secret
      /public%5c..%5cadmin | /admin
      /public\\..\\admin   | /admin
      /a%2F%2Fb            | /a/b
      """)
  void unescapesAndRedirectsWhenAsked(String in, String expected) {
    PathPolicy redirect = PathPolicy.DEFAULT
        .withEscapedSlashes(EscapedSlashes.UNESCAPE_AND_REDIRECT);
    assertThat(PathCanonicalizer.canonicalize(in, redirect)).isEqualTo(new Redirect(expected));
    // A path without escaped slashes is not redirected under the same policy.
    assertThat(PathCanonicalizer.canonicalize("/public/../x", redirect))
        .isEqualTo(new Canonical("/x"));
  }

  @Test
  void keepsEscapedSlashesOpaqueWhenAsked() {
    PathPolicy keep = PathPolicy.DEFAULT.withEscapedSlashes(EscapedSlashes.KEEP);
    assertThat(PathCanonicalizer.canonicalize("/public%2F..%2Fadmin", keep))
        .isEqualTo(new Canonical("/public%2F..%2Fadmin"));
    assertThat(PathCanonicalizer.canonicalize("/a/%2f/../b", keep))
        .isEqualTo(new Canonical("/a/b"));
    assertThat(PathCanonicalizer.canonicalize("/public\\..\\admin", keep))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void semicolonsOutsideDotSegmentsWhenAllowed() {
    PathPolicy allow = PathPolicy.DEFAULT.withAllowSemicolons(true);
    assertThat(PathCanonicalizer.canonicalize("/admin;jsessionid=x", allow))
        .isEqualTo(new Canonical("/admin;jsessionid=x"));
    assertThat(PathCanonicalizer.canonicalize("/public;/../admin", allow))
        .isEqualTo(new Canonical("/admin"));
    for (String in : new String[]{"/public/..;/admin", "/public/.;/x", "/a/;x/b",
        "/a/..%3B/b"}) {
      assertThat(PathCanonicalizer.canonicalize(in, allow)).as(in).isInstanceOf(Rejected.class);
    }
  }

  @Test
  void slashesAreKeptWhenMergingIsOff() {
    PathPolicy noMerge = PathPolicy.DEFAULT.withMergeSlashes(false);
    Result r = PathCanonicalizer.canonicalize("//admin", noMerge);
    assertThat(r).isEqualTo(new Canonical("//admin"));
    // RFC 3986: ".." removes the empty segment before it.
    assertThat(PathCanonicalizer.canonicalize("/public//..//admin", noMerge))
        .isEqualTo(new Canonical("/public//admin"));
  }

  @Test
  void canonicalPathsAreFixedPoints() {
    for (String in : new String[]{"/public/../admin", "/a/%2e/b/%2e%2e/c", "//x//y/",
        "/%252e/%41", "/a%3Fb"}) {
      String once = ((Canonical) PathCanonicalizer.canonicalize(in, PathPolicy.DEFAULT)).path();
      assertThat(PathCanonicalizer.canonicalize(once, PathPolicy.DEFAULT)).as(in)
          .isEqualTo(new Canonical(once));
    }
  }
}
