package org.peermesh.bus;

import org.peermesh.config.Checks;
import org.peermesh.config.ConfigBinder;
import org.peermesh.config.Configurable;
import org.peermesh.net.PeerAddress;

import java.util.Objects;

/**
 * The node's {@code bridge} section: where the TCP event-bus bridge listens and what one client may cost the node.
 * A client is a program the node does not control, so every resource it can make the node hold has a limit here:
 * the bytes of one frame it sends, the time an unfinished frame may hold its buffer, the number of connections, the
 * bytes waiting to be written to it, and the time it may leave them waiting. {@code {"host", "port"}} alone, the
 * section's shape before the limits, keeps meaning the same bridge with the default limits.
 */
public final class BridgeOptions implements Configurable {

  /** The default {@code maxFrameSize}: a {@code sendToPeer} of one maximal mesh message (3 MiB) with its envelope. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024;

  private String host = "127.0.0.1";
  private int port = 7000;
  /** The largest frame a client may send, in bytes of JSON after the length prefix. */
  private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  /** How long the bytes of one frame may take to arrive, from its first byte to its last. */
  private long frameTimeout = 30_000;
  /** Clients connected at once; one more is refused. */
  private int maxConnections = 100;
  /** Bytes that may wait to be written to one client; past them, deliveries to it are dropped and counted. */
  private int maxWriteQueueSize = 8 * 1024 * 1024;
  /** How long a client's write queue may stay full before the client is disconnected. */
  private long writeTimeout = 30_000;
  /** Addresses one client may be registered on at once: each is an event-bus consumer the node keeps for it. */
  private int maxRegistrations = 1024;
  /** Requests delivered to one client that it has not answered yet; past them, requests to it are failed 429. */
  private int maxPendingRequests = 256;

  @Override
  public void check(Checks c) {
    c.text("host", host, "a non-blank host", s -> !s.isBlank());
    c.between("port", port, 0, 65535);
    c.between("maxFrameSize", maxFrameSize, 1024, Integer.MAX_VALUE);
    c.atLeast("frameTimeout", frameTimeout, 1);
    c.atLeast("maxConnections", maxConnections, 1);
    c.between("maxWriteQueueSize", maxWriteQueueSize, 1024, Integer.MAX_VALUE);
    c.atLeast("writeTimeout", writeTimeout, 1);
    c.atLeast("maxRegistrations", maxRegistrations, 1);
    c.atLeast("maxPendingRequests", maxPendingRequests, 1);
  }

  /** Where the bridge listens. */
  public PeerAddress listenAddress() {
    return new PeerAddress(host, port);
  }

  public String getHost() {
    return host;
  }

  public BridgeOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** The port; 0 lets the system choose one. */
  public int getPort() {
    return port;
  }

  public BridgeOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public int getMaxFrameSize() {
    return maxFrameSize;
  }

  public BridgeOptions setMaxFrameSize(int maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
    return this;
  }

  public long getFrameTimeout() {
    return frameTimeout;
  }

  public BridgeOptions setFrameTimeout(long frameTimeout) {
    this.frameTimeout = frameTimeout;
    return this;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  public BridgeOptions setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
    return this;
  }

  public int getMaxWriteQueueSize() {
    return maxWriteQueueSize;
  }

  public BridgeOptions setMaxWriteQueueSize(int maxWriteQueueSize) {
    this.maxWriteQueueSize = maxWriteQueueSize;
    return this;
  }

  public long getWriteTimeout() {
    return writeTimeout;
  }

  public BridgeOptions setWriteTimeout(long writeTimeout) {
    this.writeTimeout = writeTimeout;
    return this;
  }

  public int getMaxRegistrations() {
    return maxRegistrations;
  }

  public BridgeOptions setMaxRegistrations(int maxRegistrations) {
    this.maxRegistrations = maxRegistrations;
    return this;
  }

  public int getMaxPendingRequests() {
    return maxPendingRequests;
  }

  public BridgeOptions setMaxPendingRequests(int maxPendingRequests) {
    this.maxPendingRequests = maxPendingRequests;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BridgeOptions && ConfigBinder.toJson(this).equals(ConfigBinder.toJson(o));
  }

  @Override
  public int hashCode() {
    return Objects.hash(ConfigBinder.toJson(this));
  }

  @Override
  public String toString() {
    return "BridgeOptions" + ConfigBinder.toJson(this).encode();
  }
}
