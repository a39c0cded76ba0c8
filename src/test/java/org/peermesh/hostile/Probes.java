package org.peermesh.hostile;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** Whether a node under attack still serves honest peers, both ways. */
final class Probes {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private Probes() {
  }

  /**
   * A new honest mesh peer from {@code bindHost} completes its handshake, its message reaches a bridge subscriber,
   * and a message the bridge sends it through {@code sendToPeer} reaches it.
   */
  static void assertMeshServes(NodeProcess node, BusTap tap, String bindHost) {
    node.assertAlive();
    try (MeshPeer probe = MeshPeer.join(node, tap, bindHost, 0).startReading()) {
      String id = probe.peerId();
      probe.sendMessage("probe", new JsonObject().put("from", id));
      tap.await(BusTap.message("probe"), m -> id.equals(m.getString("peerId")), DEADLINE);
      JsonObject reply = tap.request(BusTap.PREFIX + ".sendToPeer",
          new JsonObject().put("peerId", id).put("event", "probe-back").put("data", new JsonObject()));
      if (!"message".equals(reply.getString("type"))) {
        throw new AssertionError("sendToPeer to the probe failed: " + reply);
      }
      probe.awaitReceived("probe-back", 1, DEADLINE);
    }
  }
}
