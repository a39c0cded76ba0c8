package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.TestNodes;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A pool's listener accepts on every event loop, and an address is one pool's. */
class PeerListenerTest {

  private static final int LOOPS = 4;
  private static final String KEY = "test.listen.port";

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));

  @AfterEach
  void close() {
    TestNodes.await(vertx.close());
  }

  @Test
  void acceptedSocketsAreSpreadOverEveryEventLoop() {
    Map<String, AtomicInteger> acceptedOn = new ConcurrentHashMap<>();
    PeerListener listener = TestNodes.await(PeerListener.listen(vertx, new PeerAddress("127.0.0.1", 0), KEY, socket -> {
      acceptedOn.computeIfAbsent(Thread.currentThread().getName(), t -> new AtomicInteger()).incrementAndGet();
    }));
    assertNotEquals(0, listener.address().port());

    NetClient client = vertx.createNetClient();
    List<NetSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 2 * LOOPS; i++) {
      sockets.add(TestNodes.await(client.connect(listener.address().port(), "127.0.0.1")));
    }
    await().atMost(TestNodes.DEADLINE)
        .until(() -> acceptedOn.values().stream().mapToInt(AtomicInteger::get).sum() == 2 * LOOPS);

    // Vert.x hands accepted sockets to the listener's servers in turn: each loop took its share.
    assertEquals(LOOPS, acceptedOn.size(), acceptedOn.toString());
    acceptedOn.values().forEach(count -> assertEquals(2, count.get(), acceptedOn.toString()));
    TestNodes.await(Future.join(sockets.stream().map(NetSocket::close).toList()));
    TestNodes.await(listener.close());
  }

  @Test
  void aFixedAddressIsOnePoolsUntilItCloses() {
    int port = TestNodes.freePort();
    PeerAddress address = new PeerAddress("127.0.0.1", port);
    PeerListener first = TestNodes.await(PeerListener.listen(vertx, address, KEY, NetSocket::close));
    assertEquals(address, first.address());

    // Vert.x alone would have let a second server share the port and split the first one's peers.
    Throwable refused = TestNodes.awaitFailure(PeerListener.listen(vertx, address, KEY, NetSocket::close));
    assertEquals(KEY + " " + port + " on 127.0.0.1 is in use", refused.getMessage());
    assertInstanceOf(BindException.class, refused.getCause());

    TestNodes.await(first.close());
    PeerListener again = TestNodes.await(PeerListener.listen(vertx, address, KEY, NetSocket::close));
    assertEquals(address, again.address());
    TestNodes.await(again.close());
  }

  @Test
  void aPortTakenOutsideVertxIsRefusedNamingTheKeyAndTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      PeerAddress address = new PeerAddress("127.0.0.1", taken.getLocalPort());
      Throwable refused = TestNodes.awaitFailure(PeerListener.listen(vertx, address, KEY, NetSocket::close));
      assertEquals(KEY + " " + taken.getLocalPort() + " on 127.0.0.1 is in use", refused.getMessage());
    }
  }

  @Test
  void twoListenersOfRandomPortsGetTwoPorts() {
    PeerAddress anyPort = new PeerAddress("127.0.0.1", 0);
    PeerListener one = TestNodes.await(PeerListener.listen(vertx, anyPort, KEY, NetSocket::close));
    PeerListener two = TestNodes.await(PeerListener.listen(vertx, anyPort, KEY, NetSocket::close));
    assertNotEquals(one.address().port(), two.address().port());
    TestNodes.await(Future.join(one.close(), two.close()));
  }
}
