package org.peermesh.testing.ethereumjs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.JsonEvents.named;
import static org.peermesh.testing.ethereumjs.EthereumjsPeer.about;
import static org.peermesh.testing.ethereumjs.EthereumjsPeer.message;

/**
 * The ethereumjs harness against itself over loopback: two @ethereumjs/devp2p RLPx nodes, one dialing the other, and
 * two DPT nodes, checked as the tests of PeerMesh's devp2p side will have them check PeerMesh.
 */
@Interop
class EthereumjsHarnessTest {

  /** EIP-8's static key A: the node id is its public key, X || Y. */
  private static final String KEY_A = "49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee";
  private static final String MAINNET_GENESIS = "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3";
  /** EIP-2124 fork id of mainnet at Prague, ethereumjs' default hardfork: no next fork known. */
  private static final JsonArray PRAGUE_FORK_ID = new JsonArray().add("c376cf8b").add("");
  private static final String FOO = "666f6f";
  private static final String BAR = "626172";

  private static EthereumjsPeer start(EthereumjsPeer.Options options) {
    return EthereumjsPeer.start(options);
  }

  private static String publicKey(String privateKeyHex) {
    byte[] encoded = CustomNamedCurves.getByName("secp256k1").getG()
        .multiply(new BigInteger(1, Hex.decode(privateKeyHex))).normalize().getEncoded(false);
    return Hex.toHexString(Arrays.copyOfRange(encoded, 1, encoded.length));
  }

  @Test
  void helloOffsetsSubProtocolRoundTripStatusAndPing() {
    try (EthereumjsPeer listener = start(EthereumjsPeer.Options.defaults("listener").withKey(KEY_A));
         EthereumjsPeer dialer = start(EthereumjsPeer.Options.defaults("dialer").sendingStatus())) {
      assertEquals(publicKey(KEY_A), listener.id());
      dialer.connect(listener);

      JsonObject accepted = listener.awaitEvent(named("peer_added"), TestNodes.DEADLINE);
      JsonObject dialed = dialer.awaitEvent(named("peer_added"), TestNodes.DEADLINE);
      assertEquals(dialer.id(), accepted.getString("id"));
      assertEquals("accepted", accepted.getString("direction"));
      assertEquals(listener.id(), dialed.getString("id"));
      assertEquals("dialed", dialed.getString("direction"));
      assertEquals(listener.port(), dialed.getInteger("port"));
      assertHello(accepted.getJsonObject("hello"), "dialer", dialer.id());
      assertHello(dialed.getJsonObject("hello"), "listener", listener.id());
      // Sorted by name byte-wise, capitals first: MyProtocol 0x10 (1 code), eth 0x11 (17), test 0x22 (2).
      JsonArray offsets = new JsonArray()
          .add(shared("MyProtocol", 1, 0x10, 1)).add(shared("eth", 68, 0x11, 17)).add(shared("test", 1, 0x22, 2));
      assertEquals(offsets, accepted.getJsonArray("shared"));
      assertEquals(offsets, dialed.getJsonArray("shared"));

      // eth: the dialer sends its Status, the listener answers with the same one, and both pass ethereumjs' checks
      // (version, network id, genesis, fork id), which also stops its 5 s Status timer.
      JsonObject dialerStatus = dialer.awaitEvent(named("status"), TestNodes.DEADLINE);
      JsonObject listenerStatus = listener.awaitEvent(named("status"), TestNodes.DEADLINE);
      for (JsonObject status : List.of(dialerStatus, listenerStatus)) {
        assertEquals("eth/68", status.getString("capability"));
        assertEquals("01", status.getString("networkId"));
        assertEquals(MAINNET_GENESIS, status.getString("genesisHash"));
        assertEquals(MAINNET_GENESIS, status.getString("bestHash"));
        assertEquals(PRAGUE_FORK_ID, status.getJsonArray("forkId"));
      }
      assertEquals(listener.id(), dialerStatus.getString("peer"));
      JsonObject sentStatus = dialer.awaitEvent(named("sent")
          .and(event -> "eth/68".equals(event.getString("capability"))), TestNodes.DEADLINE);
      JsonObject receivedStatus = listener.awaitEvent(message("eth/68", 0), TestNodes.DEADLINE);
      JsonObject echoed = dialer.awaitEvent(message("eth/68", 0), TestNodes.DEADLINE);
      assertEquals(sentStatus.getString("hex"), receivedStatus.getString("hex"));
      assertEquals(sentStatus.getString("hex"), echoed.getString("hex"));
      JsonArray statusFields = echoed.getJsonArray("payload");
      assertEquals("44", statusFields.getString(0), "eth/68");
      assertEquals(MAINNET_GENESIS, statusFields.getString(4));

      // MyProtocol: ["foo"] is answered with ["bar"], on code 0 of the capability.
      dialer.send(listener.id(), "MyProtocol/1", 0, new JsonArray().add(FOO));
      JsonObject foo = listener.awaitEvent(message("MyProtocol/1", 0), TestNodes.DEADLINE);
      assertEquals(new JsonArray().add(FOO), foo.getJsonArray("payload"));
      assertEquals(dialer.id(), foo.getString("peer"));
      JsonObject bar = dialer.awaitEvent(message("MyProtocol/1", 0), TestNodes.DEADLINE);
      assertEquals(new JsonArray().add(BAR), bar.getJsonArray("payload"));
      assertEquals("c483626172", bar.getString("hex"));

      // test/1: its second code, a nested payload.
      dialer.send(listener.id(), "test/1", 1, new JsonArray().add("01").add(new JsonArray()));
      JsonObject test = listener.awaitEvent(message("test/1", 1), TestNodes.DEADLINE);
      assertEquals(new JsonArray().add("01").add(new JsonArray()), test.getJsonArray("payload"));

      // Ping after the Status exchange: the Pong comes back and neither side has dropped the other. (ethereumjs
      // would disconnect 0x0b 5 s after connecting without a Status exchange; its status event means it cleared that
      // timer, and this test does not wait the 5 s out.)
      dialer.ping(listener.id());
      listener.awaitEvent(named("ping").and(about(dialer.id())), TestNodes.DEADLINE);
      dialer.awaitEvent(named("pong").and(about(listener.id())), TestNodes.DEADLINE);
      listener.ping(dialer.id());
      listener.awaitEvent(named("pong").and(about(dialer.id())), TestNodes.DEADLINE);
      assertTrue(listener.events().matching(named("peer_removed")).isEmpty(), "listener dropped the dialer");
      assertTrue(dialer.events().matching(named("peer_removed")).isEmpty(), "dialer dropped the listener");
      assertTrue(listener.events().matching(named("error")).isEmpty(), "listener errors");
      assertTrue(dialer.events().matching(named("error")).isEmpty(), "dialer errors");
    }
  }

  private static void assertHello(JsonObject hello, String clientId, String id) {
    assertEquals(5, hello.getInteger("protocolVersion"));
    assertEquals(clientId, hello.getString("clientId"));
    assertEquals(new JsonArray()
            .add(new JsonObject().put("name", "MyProtocol").put("version", 1))
            .add(new JsonObject().put("name", "eth").put("version", 68))
            .add(new JsonObject().put("name", "test").put("version", 1)),
        hello.getJsonArray("capabilities"));
    assertEquals(0, hello.getInteger("port"));
    assertEquals(id, hello.getString("id"));
  }

  private static JsonObject shared(String name, int version, int offset, int length) {
    return new JsonObject().put("name", name).put("version", version).put("offset", offset).put("length", length);
  }

  @Test
  void disconnectReasonTooManyPeersIsDecodedOnTheOtherSide() {
    try (EthereumjsPeer listener = start(EthereumjsPeer.Options.defaults("listener"));
         EthereumjsPeer dialer = start(EthereumjsPeer.Options.defaults("dialer").sendingStatus())) {
      dialer.connect(listener);
      listener.awaitEvent(named("peer_added"), TestNodes.DEADLINE);
      dialer.awaitEvent(named("peer_added"), TestNodes.DEADLINE);

      listener.disconnect(dialer.id(), 0x04);
      JsonObject theirs = dialer.awaitEvent(named("peer_removed"), TestNodes.DEADLINE);
      assertEquals(listener.id(), theirs.getString("id"));
      assertEquals(4, theirs.getInteger("reason"));
      assertEquals("too many peers", theirs.getString("reasonText"));
      assertEquals("TOO_MANY_PEERS", theirs.getString("reasonName"));
      assertEquals(false, theirs.getBoolean("disconnectWe"));
      JsonObject ours = listener.awaitEvent(named("peer_removed"), TestNodes.DEADLINE);
      assertEquals(4, ours.getInteger("reason"));
      assertEquals(true, ours.getBoolean("disconnectWe"));
    }
  }

  @Test
  void aFullListenerAnswersHelloWithTooManyPeers() {
    try (EthereumjsPeer listener = start(EthereumjsPeer.Options.defaults("full").withMaxPeers(1));
         EthereumjsPeer first = start(EthereumjsPeer.Options.defaults("first").sendingStatus());
         EthereumjsPeer second = start(EthereumjsPeer.Options.defaults("second").sendingStatus())) {
      first.connect(listener);
      listener.awaitEvent(named("peer_added").and(about(first.id())), TestNodes.DEADLINE);

      second.connect(listener);
      // The full listener completes the handshake and Hello, then sends Disconnect 0x04.
      second.awaitEvent(named("peer_added"), TestNodes.DEADLINE);
      JsonObject removed = second.awaitEvent(named("peer_removed"), TestNodes.DEADLINE);
      assertEquals(listener.id(), removed.getString("id"));
      assertEquals(4, removed.getInteger("reason"));
      assertEquals("too many peers", removed.getString("reasonText"));
      assertEquals(false, removed.getBoolean("disconnectWe"));
      assertFalse(listener.events().all().stream().anyMatch(named("peer_added").and(about(second.id()))));
    }
  }

  @Test
  void aSecondDptNodeBootstrapsFromTheFirstAndBothListEachOther() {
    try (DptNode first = DptNode.start(KEY_A); DptNode second = DptNode.start()) {
      assertEquals(publicKey(KEY_A), first.id());
      String bootstrapped = second.bootstrap(first);
      assertNotNull(bootstrapped, "the first node did not answer the Ping");
      assertEquals(first.id(), bootstrapped);
      // The first node pings back the node that pinged it and adds it once it answers.
      JsonObject added = first.awaitEvent(named("peer_added").and(about(second.id())), TestNodes.DEADLINE);
      assertEquals(second.udpPort(), added.getInteger("udpPort"));

      assertTrue(second.peerIds().contains(first.id()), "second's table: " + second.peers());
      assertTrue(first.peerIds().contains(second.id()), "first's table: " + first.peers());
      JsonObject entry = second.peers().stream().filter(peer -> first.id().equals(peer.getString("id"))).findFirst()
          .orElseThrow();
      assertEquals(DptNode.HOST, entry.getString("address"));
      assertEquals(first.udpPort(), entry.getInteger("udpPort"));
    }
  }
}
