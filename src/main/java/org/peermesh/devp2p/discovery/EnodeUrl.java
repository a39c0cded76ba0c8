package org.peermesh.devp2p.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * A node's address in the form geth, Besu and bootnode lists write it: {@code enode://<128 hex id>@host:port}, the
 * port being the TCP (RLPx) port and also the UDP (discovery) port unless {@code ?discport=N} says otherwise. The host
 * is an IP literal (IPv6 in brackets) or a DNS name; it is kept as written, never resolved here.
 */
public record EnodeUrl(NodeId id, String host, int tcpPort, int udpPort) {

  private static final String SCHEME = "enode";
  private static final String DISCPORT = "discport=";

  public EnodeUrl {
    Objects.requireNonNull(id, "id");
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("an enode URL needs a host");
    }
    Ports.require(tcpPort, "tcp");
    Ports.require(udpPort, "udp");
  }

  /**
   * Reads an enode URL.
   *
   * @throws Discv4Exception {@code bad_enode} for anything that is not one
   */
  public static EnodeUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw bad(url, e.getReason());
    }
    if (!SCHEME.equals(uri.getScheme()) || uri.getRawUserInfo() == null || uri.getHost() == null
        || uri.getPort() < 0 || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
        || uri.getRawFragment() != null) {
      throw bad(url, "not enode://<id>@host:port[?discport=port]");
    }
    NodeId id;
    try {
      id = NodeId.fromHex(uri.getRawUserInfo());
    } catch (IllegalArgumentException e) {
      throw bad(url, "the id is not 128 hex digits");
    }
    int tcp = port(url, uri.getPort());
    int udp = tcp;
    String query = uri.getRawQuery();
    if (query != null) {
      if (!query.startsWith(DISCPORT)) {
        throw bad(url, "the only query is " + DISCPORT + "port");
      }
      udp = port(url, parsePort(url, query.substring(DISCPORT.length())));
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new EnodeUrl(id, host, tcp, udp);
  }

  /** The URL, with {@code ?discport=} only where the ports differ and IPv6 hosts in brackets. */
  @Override
  public String toString() {
    String bracketed = host.contains(":") ? "[" + host + "]" : host;
    String url = SCHEME + "://" + id.hex() + "@" + bracketed + ":" + tcpPort;
    return udpPort == tcpPort ? url : url + "?" + DISCPORT + udpPort;
  }

  private static int parsePort(String url, String digits) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw bad(url, "the port is not a number");
    }
    return Integer.parseInt(digits);
  }

  private static int port(String url, int port) {
    if (port > Ports.MAX) {
      throw bad(url, "the port is above " + Ports.MAX);
    }
    return port;
  }

  private static Discv4Exception bad(String url, String why) {
    String shown = url.length() > 200 ? url.substring(0, 200) + "..." : url;
    return new Discv4Exception("bad_enode", why + ": " + shown);
  }
}
