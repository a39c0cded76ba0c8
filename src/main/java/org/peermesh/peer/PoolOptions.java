package org.peermesh.peer;

import io.netty.util.NetUtil;
import org.peermesh.config.Checks;
import org.peermesh.config.ConfigBinder;
import org.peermesh.config.Configurable;
import org.peermesh.net.PeerAddress;

import java.util.List;
import java.util.Objects;

/**
 * The settings every protocol's peers take, the same keys in every protocol's config section: where to listen, whom
 * to keep connected, the limits and the timeouts. A protocol's options class extends this one with its own keys and
 * sets its own defaults in its constructor. Durations are milliseconds, sizes bytes; the README's "Configuration"
 * section describes every key.
 *
 * @param <T> the protocol's options class, which the setters return
 */
public abstract class PoolOptions<T extends PoolOptions<T>> implements Configurable {

  /** The default of {@code maxInbound}. */
  public static final int DEFAULT_MAX_INBOUND = 100;
  /** The default of {@link #maxHandshakeMessageSize}. */
  private static final int HANDSHAKE_MESSAGE_SIZE = 4096;

  /** Where inbound peers connect; null: the pool does not listen. */
  private PeerAddress listen;
  /** Peers dialed at start and redialed, with back-off, whenever their connection ends. */
  private List<PeerAddress> connect = List.of();
  /** A SOCKS5 proxy for every dial; null: direct. */
  private PeerAddress proxy;
  /** Inbound connections refused before a byte is read. */
  private List<String> blacklistedIPs = List.of();
  private int maxInbound = DEFAULT_MAX_INBOUND;
  private int maxPendingHandshakesPerIP = 16;
  /**
   * Inbound connections handshaking at once, from every address. A pending connection holds no inbound slot, but its
   * socket, timer and a handshake frame in the making: this bounds what connections that prove nothing cost the node,
   * from however many addresses they come.
   */
  private int maxPendingHandshakes = 64;
  private int maxMessageSize = 3 * 1024 * 1024;
  private long maxWriteQueueSize = 8 * 1024 * 1024;
  /**
   * Frames a peer may send per second, whatever they are (known, unknown, valid or not): beyond, the node stops
   * reading from it for the rest of the pacing window, and a peer held at the limit for a second running is penalised.
   */
  private int maxMessageRate = 10_000;
  private long connectTimeout = 5_000;
  private long handshakeTimeout = 5_000;
  private long pingInterval = 10_000;
  private long peerTimeout = 25_000;
  /**
   * How long a local sender waits for a peer: for a request's response, and for room in a peer's queue that reads
   * slower than it is sent to.
   */
  private long ackTimeout = 10_000;
  private long reconnectInterval = 1_000;
  private long peerBanTime = 24 * 60 * 60 * 1000L;
  private boolean exemptLocalAddresses;

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  /** A copy of these options, sharing nothing mutable with them. */
  public T copy() {
    return ConfigBinder.copy(self());
  }

  @Override
  public void check(Checks c) {
    c.address("listen", listen, 0);
    c.addresses("connect", connect, 1);
    c.address("proxy", proxy, 1);
    for (int i = 0; i < blacklistedIPs.size(); i++) {
      c.text("blacklistedIPs[" + i + "]", blacklistedIPs.get(i), "a literal IPv4 or IPv6 address (no brackets, no zone)",
          PoolOptions::isLiteralIp);
    }
    c.atLeast("maxInbound", maxInbound, 0);
    c.atLeast("maxPendingHandshakesPerIP", maxPendingHandshakesPerIP, 1);
    c.atLeast("maxPendingHandshakes", maxPendingHandshakes, 1);
    c.between("maxMessageSize", maxMessageSize, 1024, 64 * 1024 * 1024);
    if (c.atLeast("maxWriteQueueSize", maxWriteQueueSize, 1) && maxWriteQueueSize < maxMessageSize) {
      c.problem("maxWriteQueueSize", "must be at least maxMessageSize (" + maxMessageSize + "), got "
          + maxWriteQueueSize + ": one message must fit");
    }
    c.atLeast("maxMessageRate", maxMessageRate, 1);
    c.atLeast("connectTimeout", connectTimeout, 1);
    c.atLeast("handshakeTimeout", handshakeTimeout, 1);
    c.atLeast("pingInterval", pingInterval, 100);
    if (c.atLeast("peerTimeout", peerTimeout, 1) && peerTimeout <= pingInterval) {
      c.problem("peerTimeout", "must be greater than pingInterval (" + pingInterval + "), got " + peerTimeout
          + ": a peer answering every ping would time out");
    }
    c.atLeast("ackTimeout", ackTimeout, 1);
    c.atLeast("reconnectInterval", reconnectInterval, 1);
    c.atLeast("peerBanTime", peerBanTime, 1);
  }

  private static boolean isLiteralIp(String s) {
    return s.indexOf('[') < 0 && s.indexOf('%') < 0 && (NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s));
  }

  /** What the command line says of the section when the node starts, before where it listens and dials. */
  public String summary() {
    return "running";
  }

  /** The port a {@code connect} command dials when it names none; a protocol with a well-known port says it. */
  public int defaultPort() {
    return listen == null ? 0 : listen.port();
  }

  /**
   * The largest message a peer may send before its handshake is done: a version, a Hello or an auth fits in a few
   * KiB (nodeos and geth cap theirs near 2 KiB), and a connection that has proven nothing must not make the node hold
   * a maximal frame. A protocol whose handshake carries more (the mesh's nodeInfo) says so.
   */
  public int maxHandshakeMessageSize() {
    return Math.min(maxMessageSize, HANDSHAKE_MESSAGE_SIZE);
  }

  /** The largest frame on the wire: a message and whatever header the protocol puts around it. */
  public int maxFrameSize() {
    return maxMessageSize;
  }

  public PeerAddress getListen() {
    return listen;
  }

  public T setListen(PeerAddress listen) {
    this.listen = listen;
    return self();
  }

  public List<PeerAddress> getConnect() {
    return connect;
  }

  public T setConnect(List<PeerAddress> connect) {
    this.connect = List.copyOf(connect);
    return self();
  }

  public PeerAddress getProxy() {
    return proxy;
  }

  public T setProxy(PeerAddress proxy) {
    this.proxy = proxy;
    return self();
  }

  public List<String> getBlacklistedIPs() {
    return blacklistedIPs;
  }

  public T setBlacklistedIPs(List<String> blacklistedIPs) {
    this.blacklistedIPs = List.copyOf(blacklistedIPs);
    return self();
  }

  public int getMaxInbound() {
    return maxInbound;
  }

  public T setMaxInbound(int maxInbound) {
    this.maxInbound = maxInbound;
    return self();
  }

  public int getMaxPendingHandshakesPerIP() {
    return maxPendingHandshakesPerIP;
  }

  public T setMaxPendingHandshakesPerIP(int maxPendingHandshakesPerIP) {
    this.maxPendingHandshakesPerIP = maxPendingHandshakesPerIP;
    return self();
  }

  public int getMaxPendingHandshakes() {
    return maxPendingHandshakes;
  }

  public T setMaxPendingHandshakes(int maxPendingHandshakes) {
    this.maxPendingHandshakes = maxPendingHandshakes;
    return self();
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  public T setMaxMessageSize(int maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
    return self();
  }

  public long getMaxWriteQueueSize() {
    return maxWriteQueueSize;
  }

  public T setMaxWriteQueueSize(long maxWriteQueueSize) {
    this.maxWriteQueueSize = maxWriteQueueSize;
    return self();
  }

  public int getMaxMessageRate() {
    return maxMessageRate;
  }

  public T setMaxMessageRate(int maxMessageRate) {
    this.maxMessageRate = maxMessageRate;
    return self();
  }

  public long getConnectTimeout() {
    return connectTimeout;
  }

  public T setConnectTimeout(long connectTimeout) {
    this.connectTimeout = connectTimeout;
    return self();
  }

  public long getHandshakeTimeout() {
    return handshakeTimeout;
  }

  public T setHandshakeTimeout(long handshakeTimeout) {
    this.handshakeTimeout = handshakeTimeout;
    return self();
  }

  public long getPingInterval() {
    return pingInterval;
  }

  public T setPingInterval(long pingInterval) {
    this.pingInterval = pingInterval;
    return self();
  }

  public long getAckTimeout() {
    return ackTimeout;
  }

  public T setAckTimeout(long ackTimeout) {
    this.ackTimeout = ackTimeout;
    return self();
  }

  public long getPeerTimeout() {
    return peerTimeout;
  }

  public T setPeerTimeout(long peerTimeout) {
    this.peerTimeout = peerTimeout;
    return self();
  }

  public long getReconnectInterval() {
    return reconnectInterval;
  }

  public T setReconnectInterval(long reconnectInterval) {
    this.reconnectInterval = reconnectInterval;
    return self();
  }

  public long getPeerBanTime() {
    return peerBanTime;
  }

  public T setPeerBanTime(long peerBanTime) {
    this.peerBanTime = peerBanTime;
    return self();
  }

  /**
   * Whether loopback and private addresses are exempt from the per-IP and per-netgroup limits and from bans, so a
   * network on one machine or one LAN keeps working.
   */
  public boolean isExemptLocalAddresses() {
    return exemptLocalAddresses;
  }

  public T setExemptLocalAddresses(boolean exemptLocalAddresses) {
    this.exemptLocalAddresses = exemptLocalAddresses;
    return self();
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ConfigBinder.toJson(this).equals(ConfigBinder.toJson(o));
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), ConfigBinder.toJson(this));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + ConfigBinder.toJson(this).encode();
  }
}
