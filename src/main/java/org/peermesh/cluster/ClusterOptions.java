package org.peermesh.cluster;

import org.peermesh.config.Checks;
import org.peermesh.config.ConfigBinder;
import org.peermesh.config.Configurable;

import java.util.Objects;

/**
 * The {@code cluster} section of a node config: how this JVM joins the other members of a clustered node (only read
 * when the node runs clustered). Durations are milliseconds.
 */
public final class ClusterOptions implements Configurable {

  /** The address the event bus binds for the other members. */
  private String eventBusHost = "127.0.0.1";
  /** 0: a free port. */
  private int eventBusPort;
  /** How often members reconcile the directory of peers. */
  private long syncInterval = 5000;
  /** The event bus's TLS files; null: the event bus between members is plain TCP. */
  private Tls tls;

  /** The PEM files of a member's TLS identity and of the authority every member's certificate is signed by. */
  public static final class Tls implements Configurable {

    private String certFile;
    private String keyFile;
    private String trustFile;

    public Tls(String certFile, String keyFile, String trustFile) {
      this.certFile = certFile;
      this.keyFile = keyFile;
      this.trustFile = trustFile;
    }

    /** For the binder, which fills the fields from the section. */
    private Tls() {
    }

    @Override
    public void check(Checks c) {
      c.text("certFile", certFile, "a non-blank file path", s -> !s.isBlank());
      c.text("keyFile", keyFile, "a non-blank file path", s -> !s.isBlank());
      c.text("trustFile", trustFile, "a non-blank file path", s -> !s.isBlank());
    }

    public String certFile() {
      return certFile;
    }

    public String keyFile() {
      return keyFile;
    }

    public String trustFile() {
      return trustFile;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tls other && Objects.equals(certFile, other.certFile)
          && Objects.equals(keyFile, other.keyFile) && Objects.equals(trustFile, other.trustFile);
    }

    @Override
    public int hashCode() {
      return Objects.hash(certFile, keyFile, trustFile);
    }
  }

  @Override
  public void check(Checks c) {
    c.text("eventBusHost", eventBusHost, "a non-blank host name or IP address", s -> !s.isBlank());
    c.between("eventBusPort", eventBusPort, 0, 65535);
    c.atLeast("syncInterval", syncInterval, 100);
  }

  public String getEventBusHost() {
    return eventBusHost;
  }

  public ClusterOptions setEventBusHost(String eventBusHost) {
    this.eventBusHost = eventBusHost;
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    this.eventBusPort = eventBusPort;
    return this;
  }

  public long getSyncInterval() {
    return syncInterval;
  }

  public ClusterOptions setSyncInterval(long syncInterval) {
    this.syncInterval = syncInterval;
    return this;
  }

  public Tls getTls() {
    return tls;
  }

  public ClusterOptions setTls(Tls tls) {
    this.tls = tls;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterOptions && ConfigBinder.toJson(this).equals(ConfigBinder.toJson(o));
  }

  @Override
  public int hashCode() {
    return Objects.hash(ConfigBinder.toJson(this));
  }

  @Override
  public String toString() {
    return "ClusterOptions" + ConfigBinder.toJson(this).encode();
  }
}
