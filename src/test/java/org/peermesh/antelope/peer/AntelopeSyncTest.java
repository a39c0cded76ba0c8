package org.peermesh.antelope.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.antelope.NodeosStandin;
import org.peermesh.testing.antelope.WharfkitEvents;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;

/**
 * PeerMesh dialing a nodeos stand-in written with wharfkit's Serializer ({@code nodeos-standin.js}), which checks
 * PeerMesh's handshake as nodeos does and serves sync_request from a linked chain: PeerMesh syncs from
 * {@code syncFrom} to the stand-in's head in sync_request spans, publishes every block once and in order with
 * wharfkit's ids, then follows the blocks the stand-in produces live.
 */
@Interop
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AntelopeSyncTest {

  private static final int CHAIN_LENGTH = 60;
  private static final int SYNC_FROM = 5;
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private Vertx vertx;
  private TestNodes nodes;
  private NodeosStandin standin;
  private List<JsonObject> blocks;

  @BeforeAll
  void start(@TempDir Path dir) {
    standin = NodeosStandin.start(AntelopeInteropTest.CHAIN_ID, CHAIN_LENGTH);
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    NodeOptions options = nodes.options().setMesh(null).setProtocol(AntelopeProtocol.NAME, new AntelopeOptions()
        .setChainId(AntelopeInteropTest.CHAIN_ID)
        .setConnect(List.of(new PeerAddress(standin.host(), standin.port())))
        .setSyncFrom(String.valueOf(SYNC_FROM))
        // Several spans, so that the sync asks again where the last span ended.
        .setSyncFetchSpan(16));
    blocks = nodes.collect(new BusAddresses(options.getBusPrefix()).protocol(AntelopeProtocol.NAME)
        .message("signed_block"));
    nodes.start(options);
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (vertx != null) {
      TestNodes.await(vertx.close());
    }
    if (standin != null) {
      standin.close();
    }
  }

  /**
   * The stand-in pushes its new blocks to every peer it accepted, as nodeos does, also while that peer syncs: two are
   * produced as soon as it has accepted our handshake, racing the sync's first answer. Whichever comes first, the
   * node publishes every block from syncFrom once and in order, taking the live ones when the sync reaches them.
   */
  @Test
  void syncsFromSyncFromToTheHeadInOrderThenFollowsLive() {
    JsonObject handshake = standin.awaitEvent(WharfkitEvents.named("handshake"), DEADLINE);
    assertEquals("accepted", handshake.getString("result"), handshake::encode);
    List<String> producedDuringSync = standin.produce(2);
    awaitEvent(blocks, e -> e.getLong("blockNum") == CHAIN_LENGTH + 2);
    List<String> chain = standin.chain();
    assertEquals(chain.subList(SYNC_FROM - 1, CHAIN_LENGTH + 2), blocks.stream().map(e -> e.getString("id")).toList());
    assertEquals(producedDuringSync, chain.subList(CHAIN_LENGTH, CHAIN_LENGTH + 2));
    assertEquals(List.of(SYNC_FROM, SYNC_FROM + 16, SYNC_FROM + 32, SYNC_FROM + 48),
        standin.events().matching(WharfkitEvents.message("sync_request_message")).stream().limit(4)
            .map(e -> Integer.parseInt(String.valueOf(e.getJsonObject("json").getValue("startBlock")))).toList());

    List<String> producedLater = standin.produce(3);
    awaitEvent(blocks, e -> e.getLong("blockNum") == CHAIN_LENGTH + 5);
    assertEquals(producedLater, blocks.subList(blocks.size() - 3, blocks.size()).stream().map(e -> e.getString("id"))
        .toList());
    assertEquals(CHAIN_LENGTH + 5 - SYNC_FROM + 1, blocks.size());
  }
}
