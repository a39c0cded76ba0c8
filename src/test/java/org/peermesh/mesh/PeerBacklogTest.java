package org.peermesh.mesh;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.TestNodes;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which peers are backed up, and the callers that wait for them to drain. */
@ExtendWith(VertxExtension.class)
class PeerBacklogTest {

  @Test
  void nothingBackedUpIsNotWaitedFor(Vertx vertx) {
    PeerBacklog backlog = new PeerBacklog();
    assertTrue(backlog.whenDrained(peers("a", "b"), vertx.getOrCreateContext()).isComplete());
  }

  @Test
  void aCallerWaitsForEveryBackedUpPeerItNames(Vertx vertx) {
    PeerBacklog backlog = new PeerBacklog();
    Context context = vertx.getOrCreateContext();
    backlog.backedUp("a");
    backlog.backedUp("b");
    backlog.backedUp("c");

    Future<Void> waiting = backlog.whenDrained(peers("a", "b", "d"), context);
    backlog.drained("a");
    backlog.drained("c");
    assertTrue(backlog.isBackedUp("b"));
    assertFalse(waiting.isComplete());

    backlog.drained("b");
    TestNodes.await(waiting);
    assertFalse(backlog.isBackedUp("b"));
  }

  @Test
  void aPeerBackedUpAgainIsWaitedForAgain(Vertx vertx) {
    PeerBacklog backlog = new PeerBacklog();
    Context context = vertx.getOrCreateContext();
    backlog.backedUp("a");
    Future<Void> first = backlog.whenDrained(peers("a"), context);
    backlog.drained("a");
    TestNodes.await(first);

    backlog.backedUp("a");
    backlog.backedUp("a");
    Future<Void> second = backlog.whenDrained(peers("a"), context);
    assertFalse(second.isComplete());
    backlog.drained("a");
    TestNodes.await(second);
    // A drain with nobody waiting and nothing marked is no error.
    backlog.drained("a");
  }

  /** Peers known by their ids only, as the routers hand them over. */
  private static List<PeerInfo> peers(String... ids) {
    return Arrays.stream(ids).map(id -> PeerInfo.disconnected(id, new PeerAddress("127.0.0.1", 1), null, false, false))
        .toList();
  }
}
