package org.peermesh.node;

import io.vertx.core.json.JsonObject;
import org.peermesh.node.ConfigReader.IntRule;
import org.peermesh.node.ConfigReader.StringRule;

import java.util.Objects;

/**
 * How a node's JVM takes part in a cluster, the {@code "cluster"} section of a node config; used only when the node
 * runs on a clustered Vert.x (the CLI's {@code --cluster}). Hazelcast's own settings (cluster name, member list,
 * heartbeats) live in its XML file.
 *
 * <pre>
 * "cluster": {
 *   "eventBusHost": "127.0.0.1",   the interface the clustered event bus binds and other members dial
 *   "eventBusPort": 0,             0 picks a free port
 *   "syncInterval": 5000,          ms between directory snapshots and sweeps of stale entries
 *   "tls": {"certFile": "member.crt", "keyFile": "member.key", "trustFile": "cluster-ca.crt"}
 * }
 * </pre>
 *
 * With {@code tls}, the event bus between members runs over TLS and each side must present a certificate signed by
 * a certificate authority in {@code trustFile} (PEM files).
 */
public final class ClusterOptions {

  public static final String DEFAULT_EVENT_BUS_HOST = "127.0.0.1";
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  public static final int DEFAULT_SYNC_INTERVAL = 5000;

  private static final StringRule HOST = NodeOptions.HOST;
  private static final IntRule PORT = NodeOptions.PORT;
  private static final IntRule SYNC_INTERVAL = IntRule.atLeast(100);
  private static final StringRule FILE = NodeOptions.FILE_PATH;

  private String eventBusHost = DEFAULT_EVENT_BUS_HOST;
  private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
  private int syncInterval = DEFAULT_SYNC_INTERVAL;
  private Tls tls;

  /** The PEM files of a member's TLS identity and of the authority every member's certificate is signed by. */
  public record Tls(String certFile, String keyFile, String trustFile) {

    public Tls {
      FILE.check("cluster.tls.certFile", certFile);
      FILE.check("cluster.tls.keyFile", keyFile);
      FILE.check("cluster.tls.trustFile", trustFile);
    }

    public JsonObject toJson() {
      return new JsonObject().put("certFile", certFile).put("keyFile", keyFile).put("trustFile", trustFile);
    }
  }

  public ClusterOptions() {
  }

  public ClusterOptions(ClusterOptions other) {
    eventBusHost = other.eventBusHost;
    eventBusPort = other.eventBusPort;
    syncInterval = other.syncInterval;
    tls = other.tls;
  }

  /** Options read from JSON; absent keys keep their defaults. */
  public ClusterOptions(JsonObject json) {
    ConfigReader r = new ConfigReader(new JsonObject().put("cluster", json));
    read(r.readSection("cluster"));
    r.finish();
  }

  /** Reads the section of a node config; {@code section} is null when the config has none. */
  ClusterOptions(ConfigReader section) {
    read(section);
  }

  private void read(ConfigReader r) {
    if (r == null) {
      return;
    }
    eventBusHost = r.readString("eventBusHost", DEFAULT_EVENT_BUS_HOST, HOST);
    eventBusPort = r.readInt("eventBusPort", DEFAULT_EVENT_BUS_PORT, PORT);
    syncInterval = r.readInt("syncInterval", DEFAULT_SYNC_INTERVAL, SYNC_INTERVAL);
    ConfigReader t = r.readSection("tls");
    if (t != null) {
      String cert = t.required("certFile", FILE.expected()) ? t.readString("certFile", null, FILE) : null;
      String key = t.required("keyFile", FILE.expected()) ? t.readString("keyFile", null, FILE) : null;
      String trust = t.required("trustFile", FILE.expected()) ? t.readString("trustFile", null, FILE) : null;
      t.finishSection();
      tls = cert != null && key != null && trust != null ? new Tls(cert, key, trust) : null;
    }
    r.finishSection();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("eventBusHost", eventBusHost)
        .put("eventBusPort", eventBusPort)
        .put("syncInterval", syncInterval);
    if (tls != null) {
      json.put("tls", tls.toJson());
    }
    return json;
  }

  public String getEventBusHost() {
    return eventBusHost;
  }

  public ClusterOptions setEventBusHost(String eventBusHost) {
    this.eventBusHost = HOST.check("cluster.eventBusHost", eventBusHost);
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    this.eventBusPort = PORT.check("cluster.eventBusPort", eventBusPort);
    return this;
  }

  public int getSyncInterval() {
    return syncInterval;
  }

  public ClusterOptions setSyncInterval(int syncInterval) {
    this.syncInterval = SYNC_INTERVAL.check("cluster.syncInterval", syncInterval);
    return this;
  }

  /** The event bus's TLS files, or null when the event bus between members is plain TCP. */
  public Tls getTls() {
    return tls;
  }

  public ClusterOptions setTls(Tls tls) {
    this.tls = tls;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterOptions other && eventBusHost.equals(other.eventBusHost)
        && eventBusPort == other.eventBusPort && syncInterval == other.syncInterval && Objects.equals(tls, other.tls);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventBusHost, eventBusPort, syncInterval, tls);
  }

  @Override
  public String toString() {
    return "ClusterOptions" + toJson().encode();
  }
}
