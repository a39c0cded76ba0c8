package org.peermesh.examples;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.antelope.crypto.AntelopePrivateKey;
import org.peermesh.antelope.peer.AntelopeOptions;
import org.peermesh.antelope.peer.AntelopeProtocol;
import org.peermesh.antelope.wire.AntelopeName;
import org.peermesh.antelope.wire.BlockHeader;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.SignedBlock;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * wharfkit's P2P guide, the other way round, on 127.0.0.1: a PeerMesh relay; a feeder that dials it as the guide's
 * client does (a signed handshake, then messages) and sends it blocks of a small chain of its own; and a watcher that
 * dials the relay later, syncs the blocks it missed from {@code syncFrom} 1 with sync_request, then follows the rest
 * live, printing each block as it arrives decoded on its event bus. It ends when the watcher has every block.
 */
public final class AntelopeWatchExample {

  /** Jungle 4's chain id: the example chain is its own, but a real chain's id is what a config names. */
  static final String CHAIN_ID = "73e4385a2708e6d7048834fbc1079f2fabb17b3c125b146af438971e90716c4d";
  private static final int BLOCKS = 10;
  /** Blocks fed before the watcher dials: those it syncs; the rest it follows live. */
  private static final int BLOCKS_BEFORE_WATCHER = 4;
  /** Half-second slots since 2000, as block timestamps count: 2026-12-01. */
  private static final long FIRST_SLOT = 1_859_000_000L;

  private AntelopeWatchExample() {
  }

  public static Future<List<JsonObject>> run(Vertx vertx, Path dataDir, Consumer<String> out) {
    List<PeerMeshNode> started = new ArrayList<>();
    PeerMeshNode relay = node(vertx, dataDir, "relay", new AntelopeOptions()
        .setListen(new PeerAddress("127.0.0.1", 0))
        // The feeder and the watcher both come from 127.0.0.1; nodeos' default allows one peer per host.
        .setMaxClientsPerHost(2));
    started.add(relay);
    List<SignedBlock> chain = chain(BLOCKS);
    Promise<List<JsonObject>> watched = Promise.promise();
    Future<List<JsonObject>> done = relay.start().compose(v -> {
      PeerAddress relayAddress = relay.listenAddress(AntelopeProtocol.NAME);
      out.accept("relay listening on " + relayAddress + " (chain " + CHAIN_ID.substring(0, 12) + "...)");
      PeerMeshNode feeder = node(vertx, dataDir, "feeder", new AntelopeOptions().setConnect(List.of(relayAddress)));
      started.add(feeder);
      return feeder.start()
          .compose(started2 -> connected(vertx, feeder, relayAddress))
          .compose(peer -> {
            Future<Void> relayHasThem = received(vertx, relay, BLOCKS_BEFORE_WATCHER);
            return feed(vertx, feeder, peer, chain.subList(0, BLOCKS_BEFORE_WATCHER)).compose(fed -> relayHasThem)
              .compose(fed -> {
                PeerMeshNode watcher = node(vertx, dataDir, "watcher", new AntelopeOptions()
                    .setConnect(List.of(relayAddress)).setSyncFrom("1"));
                started.add(watcher);
                List<JsonObject> blocks = new ArrayList<>();
                vertx.eventBus().<JsonObject>consumer(antelope(watcher).message("signed_block"), message -> {
                  JsonObject block = message.body();
                  blocks.add(block);
                  JsonObject signed = block.getJsonObject("message");
                  out.accept("watcher: block #" + block.getLong("blockNum") + " " + block.getString("id")
                      .substring(0, 16) + "... by " + signed.getString("producer") + " from " + block.getString("peer"));
                  if (blocks.size() == BLOCKS) {
                    watched.tryComplete(List.copyOf(blocks));
                  }
                });
                return watcher.start().compose(w -> connected(vertx, watcher, relayAddress));
              })
              .compose(watching -> feed(vertx, feeder, peer, chain.subList(BLOCKS_BEFORE_WATCHER, BLOCKS)));
          })
          .compose(fedAll -> watched.future());
    });
    return done.eventually(() -> Future.join(started.stream().map(PeerMeshNode::stop).toList()));
  }

  private static PeerMeshNode node(Vertx vertx, Path dataDir, String name, AntelopeOptions antelope) {
    NodeOptions options = new NodeOptions()
        .setBusPrefix("antelope-" + name)
        .setDataDir(dataDir.resolve(name).toString())
        .setMesh(null)
        .setProtocol(AntelopeProtocol.NAME, antelope.setChainId(CHAIN_ID).setReconnectInterval(500));
    return PeerMeshNode.create(vertx, options);
  }

  private static ProtocolAddresses antelope(PeerMeshNode node) {
    return node.addresses().protocol(AntelopeProtocol.NAME);
  }

  /** The peer's name once {@code node} has completed its handshake with {@code remote}. */
  private static Future<String> connected(Vertx vertx, PeerMeshNode node, PeerAddress remote) {
    Promise<String> ready = Promise.promise();
    var consumer = vertx.eventBus().<JsonObject>consumer(antelope(node).stateChange(), message -> {
      if (message.body().getString("peer").equals(remote.toString())
          && message.body().getString("state").equals("connected")) {
        ready.tryComplete(remote.toString());
      }
    });
    return consumer.completion().compose(v -> {
      if (node.peers(AntelopeProtocol.NAME).stream().anyMatch(p -> p.getString("peer").equals(remote.toString())
          && "connected".equals(p.getString("state")))) {
        ready.tryComplete(remote.toString());
      }
      return ready.future();
    }).eventually(consumer::unregister);
  }

  /** Sends {@code blocks} to the relay with the feeder's send command, one after another. */
  private static Future<Void> feed(Vertx vertx, PeerMeshNode feeder, String peer, List<SignedBlock> blocks) {
    Future<Void> chain = Future.succeededFuture();
    for (SignedBlock block : blocks) {
      chain = chain.compose(v -> vertx.eventBus().<JsonObject>request(antelope(feeder).command("send"),
          new JsonObject().put("peer", peer).put("type", block.typeName()).put("message", block.toJson())).mapEmpty());
    }
    return chain;
  }

  /** Completes once the relay has published {@code count} blocks, counted from now. */
  private static Future<Void> received(Vertx vertx, PeerMeshNode relay, int count) {
    Promise<Void> all = Promise.promise();
    int[] seen = {0};
    var consumer = vertx.eventBus().consumer(antelope(relay).message("signed_block"), message -> {
      if (++seen[0] == count) {
        all.tryComplete();
      }
    });
    return all.future().eventually(consumer::unregister);
  }

  /**
   * A linked chain of {@code length} empty blocks, produced by "eosio" and signed by a throwaway key: block n's
   * previous is block n-1's id, block 1's is all zero (no block 0).
   */
  static List<SignedBlock> chain(int length) {
    AntelopePrivateKey producerKey = AntelopePrivateKey.generate();
    List<SignedBlock> blocks = new ArrayList<>();
    Checksum256 previous = Checksum256.ZERO;
    for (int i = 0; i < length; i++) {
      BlockHeader header = new BlockHeader(FIRST_SLOT + i, AntelopeName.fromText("eosio"), 0, previous,
          Checksum256.ZERO, Checksum256.ZERO, 0, Optional.empty(), List.of());
      SignedBlock block = new SignedBlock(header, producerKey.signDigest(header.id().bytes()), List.of(), List.of());
      blocks.add(block);
      previous = block.id();
    }
    return blocks;
  }
}
