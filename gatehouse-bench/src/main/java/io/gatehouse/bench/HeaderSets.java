package io.gatehouse.bench;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Request header sets as an edge gateway sees them, each with what the default header policy must
 * do to it: browser page and asset requests, API clients with tokens, a request that came through a
 * CDN with forwarding headers (removed: no hop is trusted by default), one carrying a
 * gateway-internal header (removed), and one with an underscore in a name (refused, 400).
 */
public final class HeaderSets {
  /**
   * One header set.
   *
   * @param removed the header names {@code admit} must remove
   * @param refusal the status {@code admit} must answer, 0 when the request may be routed
   */
  public record HeaderSet(String name, HttpHeaders headers, List<String> removed, int refusal) {
    /** A fresh mutable copy ({@code admit} edits headers in place). */
    public HttpHeaders copy() {
      return new DefaultHttpHeaders().add(headers);
    }
  }

  private HeaderSets() {
  }

  /** All sets, the common ones first. */
  public static List<HeaderSet> all() {
    return List.of(browserPage(), browserAsset(), apiClient(), viaCdn(), internalHeader(),
        underscore());
  }

  static HeaderSet browserPage() {
    HttpHeaders h = headers(
        "host", "shop.example.com",
        "user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "accept-language", "en-GB,en;q=0.7,de;q=0.3",
        "accept-encoding", "gzip, deflate, br, zstd",
        "referer", "https://shop.example.com/catalog?page=2",
        "connection", "keep-alive",
        "cookie", "session=4f6a0c2e9b1d47a8; theme=dark; consent=analytics%3Dno",
        "upgrade-insecure-requests", "1",
        "sec-fetch-dest", "document",
        "sec-fetch-mode", "navigate",
        "sec-fetch-site", "same-origin",
        "priority", "u=0, i");
    return new HeaderSet("browser page", h, List.of(), 0);
  }

  static HeaderSet browserAsset() {
    HttpHeaders h = headers(
        "host", "static.example.com",
        "user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15",
        "accept", "image/avif,image/webp,*/*",
        "accept-encoding", "gzip, deflate, br",
        "referer", "https://shop.example.com/",
        "if-none-match", "\"5f3c-1a2b3c4d\"",
        "if-modified-since", "Tue, 12 Nov 2026 08:00:00 GMT",
        "sec-fetch-dest", "image");
    return new HeaderSet("browser asset", h, List.of(), 0);
  }

  static HeaderSet apiClient() {
    HttpHeaders h = headers(
        "host", "api.example.com",
        "user-agent", "okhttp/4.12.0",
        "accept", "application/json",
        "authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJl",
        "content-type", "application/json",
        "content-length", "142",
        "x-request-id", "0b7e1c52-6d1f-4f4e-9a61-2c1d8c3e5a77");
    return new HeaderSet("api client", h, List.of(), 0);
  }

  static HeaderSet viaCdn() {
    HttpHeaders h = headers(
        "host", "www.example.com",
        "user-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)",
        "accept", "*/*",
        "accept-encoding", "gzip",
        "x-forwarded-for", "203.0.113.7, 198.51.100.23",
        "x-forwarded-proto", "https",
        "x-forwarded-host", "www.example.com",
        "x-real-ip", "203.0.113.7",
        "forwarded", "for=203.0.113.7;proto=https",
        "via", "1.1 cdn-edge-17",
        "cdn-loop", "examplecdn",
        "x-request-id", "5a1e4c0d-8f2b-4b71-93d5-0f6e2a7c9b11");
    return new HeaderSet("via CDN", h, List.of("x-forwarded-for", "x-forwarded-proto",
        "x-forwarded-host", "x-real-ip", "forwarded"), 0);
  }

  static HeaderSet internalHeader() {
    HttpHeaders h = headers(
        "host", "api.example.com",
        "user-agent", "curl/8.8.0",
        "accept", "*/*",
        "X-Gateway-Route", "admin");
    return new HeaderSet("internal header", h, List.of("X-Gateway-Route"), 0);
  }

  static HeaderSet underscore() {
    HttpHeaders h = headers(
        "host", "api.example.com",
        "user-agent", "python-requests/2.32",
        "accept", "*/*",
        "x_user", "admin");
    return new HeaderSet("underscore", h, List.of(), 400);
  }

  private static HttpHeaders headers(String... namesAndValues) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      h.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return h;
  }
}
