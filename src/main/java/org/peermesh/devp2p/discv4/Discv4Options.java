package org.peermesh.devp2p.discv4;

import io.netty.util.NetUtil;
import org.peermesh.devp2p.discovery.EnodeUrl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Discv4Service} binds, advertises, bootstraps from and how much it keeps. Defaults are geth's where
 * geth has one: UDP and TCP on 30303 on every interface, a refresh every 30 s.
 */
public final class Discv4Options {

  private static final int MAX_PORT = 0xFFFF;

  private String host = "0.0.0.0";
  private int port = 30303;
  private String advertisedHost;
  private int tcpPort = 30303;
  private List<EnodeUrl> bootnodes = List.of();
  private long refreshInterval = 30_000;
  private int maxPendingReplies = 512;
  private int maxBonding = 64;
  private int maxEndpointProofs = 4_096;

  public String getHost() {
    return host;
  }

  /** The IP to bind the UDP socket to (an IP literal; 0.0.0.0: every interface). */
  public Discv4Options setHost(String host) {
    this.host = requireIp(host, "host");
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The UDP port to bind; 0 picks a free one, which {@link Discv4Service#start()} returns. */
  public Discv4Options setPort(int port) {
    this.port = requirePort(port, "port");
    return this;
  }

  public String getAdvertisedHost() {
    return advertisedHost;
  }

  /**
   * The IP our record, our Pings and {@link Discv4Service#self()} give as ours (an IP literal); null, the default:
   * the bound host, unless that is a wildcard, when the record carries no IP (others then use the address our
   * packets come from, as geth does).
   */
  public Discv4Options setAdvertisedHost(String advertisedHost) {
    this.advertisedHost = advertisedHost == null ? null : requireIp(advertisedHost, "advertisedHost");
    return this;
  }

  public int getTcpPort() {
    return tcpPort;
  }

  /** The RLPx (TCP) port to advertise; 0: none, the node only dials. */
  public Discv4Options setTcpPort(int tcpPort) {
    this.tcpPort = requirePort(tcpPort, "tcpPort");
    return this;
  }

  public List<EnodeUrl> getBootnodes() {
    return bootnodes;
  }

  /** The nodes pinged at start, and again whenever the table is empty at a refresh. */
  public Discv4Options setBootnodes(List<EnodeUrl> bootnodes) {
    this.bootnodes = List.copyOf(bootnodes);
    return this;
  }

  public long getRefreshInterval() {
    return refreshInterval;
  }

  /** Milliseconds between two random-target lookups. */
  public Discv4Options setRefreshInterval(long refreshInterval) {
    if (refreshInterval < 1) {
      throw new IllegalArgumentException("refreshInterval must be at least 1 ms, not " + refreshInterval);
    }
    this.refreshInterval = refreshInterval;
    return this;
  }

  public int getMaxPendingReplies() {
    return maxPendingReplies;
  }

  /** How many replies may be awaited at once; a request beyond fails at once. */
  public Discv4Options setMaxPendingReplies(int maxPendingReplies) {
    this.maxPendingReplies = requirePositive(maxPendingReplies, "maxPendingReplies");
    return this;
  }

  public int getMaxBonding() {
    return maxBonding;
  }

  /**
   * How many nodes may be pinged for an endpoint proof at once: each unknown pinger costs us a Ping, so this bounds
   * what a flood of spoofed Pings can make us send.
   */
  public Discv4Options setMaxBonding(int maxBonding) {
    this.maxBonding = requirePositive(maxBonding, "maxBonding");
    return this;
  }

  public int getMaxEndpointProofs() {
    return maxEndpointProofs;
  }

  /** How many nodes' endpoint proofs (when they last answered our Ping, last pinged us) are kept, least recent out. */
  public Discv4Options setMaxEndpointProofs(int maxEndpointProofs) {
    this.maxEndpointProofs = requirePositive(maxEndpointProofs, "maxEndpointProofs");
    return this;
  }

  private static int requirePort(int port, String name) {
    if (port < 0 || port > MAX_PORT) {
      throw new IllegalArgumentException(name + " must be 0 to " + MAX_PORT + ", not " + port);
    }
    return port;
  }

  private static int requirePositive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, not " + value);
    }
    return value;
  }

  /** An IP literal: never a DNS name, which would make option setting block on a lookup. */
  private static String requireIp(String ip, String name) {
    Objects.requireNonNull(ip, name);
    if (!isIpLiteral(ip)) {
      throw new IllegalArgumentException(name + " must be an IP literal, not " + ip);
    }
    return ip;
  }

  /** An IPv4 or IPv6 literal, without brackets or zone. */
  static boolean isIpLiteral(String host) {
    return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host) && host.indexOf('%') < 0
        && host.indexOf('[') < 0;
  }

  /** The address of a literal that {@link #isIpLiteral} accepts, made without any DNS lookup. */
  static InetAddress ip(String literal) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP: " + literal);
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP: " + literal, e);
    }
  }
}
