package org.peermesh.http;

import org.peermesh.config.Checks;
import org.peermesh.config.Configurable;
import org.peermesh.net.PeerAddress;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The node's {@code http} section: where it serves {@code /metrics}, {@code /health} and the mesh view, and what
 * readiness asks of it. Without the section the node serves no HTTP and keeps no metrics.
 */
public final class HttpOptions implements Configurable {

  private String host = "127.0.0.1";
  private int port = 8080;
  /**
   * The connected peers each protocol needs for {@code /health} to say the node is ready, by protocol name
   * ({@code {"mesh": 2}}); a protocol not named needs none.
   */
  private Map<String, Integer> minPeers = new LinkedHashMap<>();
  /**
   * The origins, besides the node's own, whose pages may connect to the mesh view's bridge
   * ({@code "https://ops.example.com"}); a page of any other origin is refused.
   */
  private List<String> viewOrigins = List.of();

  @Override
  public void check(Checks c) {
    c.text("host", host, "a non-blank host", s -> !s.isBlank());
    c.between("port", port, 0, 65535);
    if (c.expect(minPeers != null, "minPeers", "an object of protocol names to counts", null)) {
      minPeers.forEach((protocol, min) -> {
        if (c.expect(min != null, "minPeers." + protocol, "a count", null)) {
          c.between("minPeers." + protocol, min, 0, Integer.MAX_VALUE);
        }
      });
    }
    if (c.expect(viewOrigins != null, "viewOrigins", "a list of origins", null)) {
      for (int i = 0; i < viewOrigins.size(); i++) {
        c.text("viewOrigins[" + i + "]", viewOrigins.get(i), "an origin: http or https, a host and an optional port, "
            + "lower case, no path (\"https://ops.example.com\")", HttpOptions::isOrigin);
      }
    }
  }

  /** As a browser names a page's origin in its requests: {@code https://ops.example.com:8443}. */
  private static boolean isOrigin(String origin) {
    try {
      URI uri = new URI(origin);
      return List.of("http", "https").contains(String.valueOf(uri.getScheme())) && uri.getHost() != null
          && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty()
          && uri.getRawQuery() == null && uri.getRawFragment() == null
          && origin.equals(origin.toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Where the HTTP server listens. */
  public PeerAddress listenAddress() {
    return new PeerAddress(host, port);
  }

  public String getHost() {
    return host;
  }

  public HttpOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** The port; 0 lets the system choose one. */
  public int getPort() {
    return port;
  }

  public HttpOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public Map<String, Integer> getMinPeers() {
    return minPeers;
  }

  public HttpOptions setMinPeers(Map<String, Integer> minPeers) {
    this.minPeers = new LinkedHashMap<>(Objects.requireNonNull(minPeers, "minPeers"));
    return this;
  }

  public List<String> getViewOrigins() {
    return viewOrigins;
  }

  public HttpOptions setViewOrigins(List<String> viewOrigins) {
    this.viewOrigins = List.copyOf(Objects.requireNonNull(viewOrigins, "viewOrigins"));
    return this;
  }

  /** The connected peers {@code protocol} needs for the node to be ready. */
  public int minPeers(String protocol) {
    return minPeers.getOrDefault(protocol, 0);
  }
}
