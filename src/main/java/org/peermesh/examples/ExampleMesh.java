package org.peermesh.examples;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A small mesh on 127.0.0.1 in one Vert.x instance: node i seeds from the nodes before it, so the nodes end up
 * connected each to each. Every node has its own bus prefix ({@code <name>1}, {@code <name>2}, ...) and key.
 */
final class ExampleMesh {

  private final List<PeerMeshNode> nodes = new ArrayList<>();

  private ExampleMesh() {
  }

  static Future<ExampleMesh> start(Vertx vertx, String name, int size, Path dataDir, IntFunction<JsonObject> nodeInfo) {
    ExampleMesh mesh = new ExampleMesh();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 1; i <= size; i++) {
      int index = i;
      chain = chain.compose(v -> {
        NodeOptions options = new NodeOptions()
            .setBusPrefix(name + index)
            .setDataDir(dataDir.resolve("node" + index).toString())
            .setMesh(new MeshOptions()
                .setListen(new PeerAddress("127.0.0.1", 0))
                .setNetworkId("peermesh-example-" + name)
                .setNodeInfo(nodeInfo.apply(index))
                .setSeedPeers(mesh.listenAddresses()));
        PeerMeshNode node = PeerMeshNode.create(vertx, options);
        mesh.nodes.add(node);
        return node.start();
      });
    }
    return chain.map(mesh);
  }

  List<PeerMeshNode> nodes() {
    return nodes;
  }

  /** Completes once every node is connected to every other one. */
  Future<Void> whenMeshed(Vertx vertx) {
    Promise<Void> meshed = Promise.promise();
    List<MessageConsumer<Object>> watchers = new ArrayList<>();
    Runnable check = () -> {
      if (nodes.stream().allMatch(n -> n.getConnectedPeers().result().size() == nodes.size() - 1)) {
        meshed.tryComplete();
      }
    };
    for (PeerMeshNode node : nodes) {
      watchers.add(vertx.eventBus().consumer(node.addresses().event(PeerEvent.NEW_INBOUND_PEER), e -> check.run()));
      watchers.add(vertx.eventBus().consumer(node.addresses().event(PeerEvent.CONNECT_OUTBOUND), e -> check.run()));
    }
    check.run();
    return meshed.future().onComplete(done -> watchers.forEach(MessageConsumer::unregister));
  }

  Future<Void> stop() {
    return Future.join(nodes.stream().map(PeerMeshNode::stop).toList()).mapEmpty();
  }

  private List<PeerAddress> listenAddresses() {
    return nodes.stream().map(PeerMeshNode::listenAddress).toList();
  }

  static String shortId(String peerId) {
    return peerId.substring(0, 8);
  }
}
