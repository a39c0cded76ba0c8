package org.peermesh.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Starts the clustered Vert.x a node's members (and the services beside them) run on: Hazelcast for membership and
 * shared data, joined over TCP-IP on listed addresses, and the event bus between members, over TLS when configured.
 */
public final class ClusteredVertx {

  /**
   * What every PeerMesh cluster needs of Hazelcast, whatever its file says: no phone-home, no shutdown hook of its
   * own (the node leaves only after its peers are closed and removed), and logging through SLF4J.
   */
  private static final String[][] REQUIRED_PROPERTIES = {
      {"hazelcast.phone.home.enabled", "false"},
      {"hazelcast.shutdownhook.enabled", "false"},
      {"hazelcast.logging.type", "slf4j"},
  };

  private ClusteredVertx() {
  }

  /** Reads a Hazelcast XML configuration such as {@code conf/cluster.xml}. */
  public static Config loadConfig(Path xml) {
    if (!Files.isRegularFile(xml)) {
      throw new IllegalArgumentException("cluster config '" + xml + "': no such file (conf/cluster.xml is an example)");
    }
    try {
      return new FileSystemXmlConfig(xml.toFile());
    } catch (FileNotFoundException | RuntimeException e) {
      throw new IllegalArgumentException("cluster config '" + xml + "': " + e.getMessage(), e);
    }
  }

  /**
   * A member on 127.0.0.1 at Hazelcast port {@code port}, joining the members at {@code memberPorts}: what tests and
   * benchmarks start, equivalent to {@code conf/cluster.xml} with its own cluster name and ports. A JVM need not be
   * listed to join, only to be found by the others first.
   */
  public static Config localConfig(String clusterName, int port, List<Integer> memberPorts) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    memberPorts.forEach(memberPort -> join.getTcpIpConfig().addMember("127.0.0.1:" + memberPort));
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    return config;
  }

  /**
   * A port free on 127.0.0.1 at the moment of the call and below the ephemeral range, for a listener that starts a
   * while later, such as a member whose port the others' {@link #localConfig} lists in advance: an ephemeral port
   * could meanwhile be taken by any outgoing connection, such as one Hazelcast member's to another.
   */
  public static int reservedPort() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // Try another.
      }
    }
    throw new IllegalStateException("no free port in 20000-31999");
  }

  /** Joins the cluster {@code hazelcast} describes, with the event bus {@code options} describes. */
  public static Future<Vertx> start(Config hazelcast, ClusterOptions options) {
    return start(hazelcast, options, new MetricsOptions());
  }

  /**
   * Joins the cluster {@code hazelcast} describes, with the event bus {@code options} describes, keeping the metrics
   * {@code metrics} enables.
   */
  public static Future<Vertx> start(Config hazelcast, ClusterOptions options, MetricsOptions metrics) {
    for (String[] property : REQUIRED_PROPERTIES) {
      hazelcast.setProperty(property[0], property[1]);
    }
    EventBusOptions eventBus = new EventBusOptions()
        .setHost(options.getEventBusHost())
        .setPort(options.getEventBusPort());
    ClusterOptions.Tls tls = options.getTls();
    if (tls != null) {
      eventBus.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.trustFile()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(eventBus).setMetricsOptions(metrics))
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered();
  }
}
