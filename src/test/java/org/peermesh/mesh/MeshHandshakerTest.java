package org.peermesh.mesh;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.NodeKey;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Auth;
import org.peermesh.mesh.wire.HandshakeTranscript;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.Refusal;
import org.peermesh.reputation.Penalty;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The mesh handshake on messages alone: two handshakers wired to each other, and each way a peer is refused, with
 * the refusal (reason, kind, detail, penalty) and what is sent with it. The kinds are spelled out rather than read
 * from {@link MeshHandshaker.Kind}: they are a contract with the layer, which maps them.
 */
class MeshHandshakerTest {

  private static final String NETWORK = "peermesh-test";
  private static final String VERSION = "1.0";
  private static final int MAX_PEER_INFO_SIZE = 1024;
  private static final int MALFORMED = Penalty.MALFORMED_FRAME.amount();

  private final Side a = sideA();
  private final Side b = new Side(key(0x22), NETWORK, VERSION, nonce(0xB0), 4002, info("b"));

  @Test
  void startSendsOurHello() {
    assertEquals(new Hello(NETWORK, VERSION, a.key.publicKey(), nonce(0xA0), 4001), a.hello);
  }

  @Test
  void twoHandshakersEstablishWithAuthsAfterTheirClaims() {
    assertClaim(b, a.handshaker.onMessage(b.hello));
    assertClaim(a, b.handshaker.onMessage(a.hello));
    Auth authA = only(Auth.class, a.handshaker.onClaim(true, null));
    Auth authB = only(Auth.class, b.handshaker.onClaim(true, null));

    assertEstablished(b, List.of(), a.handshaker.onMessage(authB));
    assertEstablished(a, List.of(), b.handshaker.onMessage(authA));
  }

  @Test
  void anAuthBeforeOurClaimIsGrantedIsJudgedOnceItIs() {
    assertClaim(a, b.handshaker.onMessage(a.hello));
    Auth authB = only(Auth.class, b.handshaker.onClaim(true, null));
    assertClaim(b, a.handshaker.onMessage(b.hello));

    HandshakeStep<WireMessage, MeshHandshake> kept = a.handshaker.onMessage(authB);
    assertEquals(new HandshakeStep.Continue<>(List.of()), kept, "nothing is proven to b before a's claim is settled");
    HandshakeStep<WireMessage, MeshHandshake> granted = a.handshaker.onClaim(true, null);
    Auth authA = only(Auth.class, granted);
    assertEstablished(b, List.of(authA), granted);
    assertEstablished(a, List.of(), b.handshaker.onMessage(authA));
  }

  @Test
  void ourAuthCarriesTheNodeInfoCurrentWhenItIsBuilt() {
    a.handshaker.onMessage(b.hello);
    a.nodeInfo.set(info("a, renamed"));
    assertEquals(info("a, renamed"), only(Auth.class, a.handshaker.onClaim(true, null)).nodeInfo());
  }

  @Test
  void anotherNetworkIsRefused() {
    Side other = new Side(key(0x33), "another-net", VERSION, nonce(0xC0), 0, info("c"));
    assertRefused(Refusal.of(DisconnectReason.INCOMPATIBLE_NETWORK, "incompatible_network",
        "network another-net is not ours (peermesh-test)"), a.handshaker.onMessage(other.hello));
  }

  @Test
  void anotherMajorVersionIsRefusedAnotherMinorIsNot() {
    Side major = new Side(key(0x33), NETWORK, "2.0", nonce(0xC0), 0, info("c"));
    assertRefused(Refusal.of(DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION, "incompatible_protocol_version",
        "protocol 2.0 is incompatible with 1.0"), a.handshaker.onMessage(major.hello));

    Side minor = new Side(key(0x33), NETWORK, "1.7", nonce(0xC0), 0, info("c"));
    assertClaim(minor, sideA().handshaker.onMessage(minor.hello));
  }

  @Test
  void aKeyOffTheCurveIsRefused() {
    byte[] notAPoint = new byte[Hello.PUBLIC_KEY_BYTES];
    Arrays.fill(notAPoint, (byte) 0xFF); // x >= p: no such point
    notAPoint[0] = 0x02;
    assertRefused(Refusal.of(DisconnectReason.INVALID_SIGNATURE, "invalid_public_key",
        "the public key is not a secp256k1 point"),
        a.handshaker.onMessage(new Hello(NETWORK, VERSION, notAPoint, nonce(0xC0), 0)));
  }

  @Test
  void ourOwnKeyIsRefused() {
    Side ourselves = new Side(a.key, NETWORK, VERSION, nonce(0xC0), 4001, info("a"));
    assertRefused(Refusal.of(DisconnectReason.SELF_CONNECTION, "self_connection", "the peer is this node"),
        a.handshaker.onMessage(ourselves.hello));
  }

  @Test
  void aDeniedClaimIsADuplicateConnection() {
    a.handshaker.onMessage(b.hello);
    assertRefused(Refusal.of(DisconnectReason.DUPLICATE_CONNECTION, "duplicate_connection",
        "already connected to " + b.key.peerId() + " through another member of this node"),
        a.handshaker.onClaim(false, null));
  }

  @Test
  void aClaimTheClusterCannotAnswerIsADuplicateConnection() {
    a.handshaker.onMessage(b.hello);
    assertRefused(Refusal.of(DisconnectReason.DUPLICATE_CONNECTION, "duplicate_connection",
        "cannot claim " + b.key.peerId() + " in the cluster: map unavailable"),
        a.handshaker.onClaim(false, "map unavailable"));
  }

  @Test
  void anAuthOverAnotherTranscriptIsRefused() {
    grantedToA(b);
    byte[] anotherNonce = nonce(0xA1); // as if signed for another connection of a's
    Auth replayed = new Auth(b.key.sign(HandshakeTranscript.challengeHash(NETWORK, anotherNonce, b.hello.nonce(),
        b.key.publicKey(), a.key.publicKey())), b.nodeInfo.get());
    assertRefused(badSignature(), a.handshaker.onMessage(replayed));
  }

  @Test
  void anAuthSignedByAnotherKeyIsRefusedOnceOurAuthIsSent() {
    a.handshaker.onMessage(b.hello);
    Auth forged = new Auth(key(0x33).sign(HandshakeTranscript.challengeHash(NETWORK, a.hello.nonce(),
        b.hello.nonce(), b.key.publicKey(), a.key.publicKey())), b.nodeInfo.get());
    assertEquals(new HandshakeStep.Continue<>(List.of()), a.handshaker.onMessage(forged));

    HandshakeStep<WireMessage, MeshHandshake> granted = a.handshaker.onClaim(true, null);
    only(Auth.class, granted);
    assertEquals(badSignature(), assertInstanceOf(HandshakeStep.Refused.class, granted).refusal());
  }

  @Test
  void aNodeInfoOfMaxPeerInfoSizeIsAccepted() {
    b.nodeInfo.set(nodeInfoOf(MAX_PEER_INFO_SIZE));
    grantedToA(b);
    assertEstablished(b, List.of(), a.handshaker.onMessage(authOf(b)));
  }

  @Test
  void aNodeInfoOverMaxPeerInfoSizeIsRefused() {
    b.nodeInfo.set(nodeInfoOf(MAX_PEER_INFO_SIZE + 1));
    grantedToA(b);
    assertRefused(Refusal.violation(DisconnectReason.INVALID_NODE_INFO, "invalid_node_info",
        "nodeInfo of 1025 bytes exceeds 1024", Penalty.INVALID_NODE_INFO.amount()),
        a.handshaker.onMessage(authOf(b)));
  }

  @Test
  void aSecondHelloIsAProtocolViolation() {
    a.handshaker.onMessage(b.hello);
    assertRefused(unexpected("Hello"), a.handshaker.onMessage(b.hello));
  }

  @Test
  void anAuthBeforeTheHelloIsAProtocolViolation() {
    assertRefused(unexpected("Auth"), a.handshaker.onMessage(authOf(b)));
  }

  @Test
  void aSecondAuthIsAProtocolViolation() {
    a.handshaker.onMessage(b.hello);
    Auth authB = authOf(b);
    a.handshaker.onMessage(authB);
    assertRefused(unexpected("Auth"), a.handshaker.onMessage(authB));
  }

  @Test
  void anAppMessageDuringTheHandshakeIsAProtocolViolation() {
    a.handshaker.onMessage(b.hello);
    assertRefused(unexpected("AppMessage"), a.handshaker.onMessage(new AppMessage("early", JsonPayload.of(1))));
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  /** One end of a connection, started: a handshaker and the Hello it sent; a test may change its nodeInfo. */
  private static final class Side {
    final NodeKey key;
    final AtomicReference<JsonPayload> nodeInfo;
    final MeshHandshaker handshaker;
    final Hello hello;

    Side(NodeKey key, String network, String version, byte[] nonce, int listenPort, JsonPayload nodeInfo) {
      this.key = key;
      this.nodeInfo = new AtomicReference<>(nodeInfo);
      this.handshaker = new MeshHandshaker(network, version, MAX_PEER_INFO_SIZE, key, nonce, listenPort,
          this.nodeInfo::get);
      this.hello = only(Hello.class, handshaker.start());
    }
  }

  private static Side sideA() {
    return new Side(key(0x11), NETWORK, VERSION, nonce(0xA0), 4001, info("a"));
  }

  /** {@code peer}'s Hello reached a and a was granted the claim: a's Auth is sent, a waits for the peer's. */
  private void grantedToA(Side peer) {
    a.handshaker.onMessage(peer.hello);
    a.handshaker.onClaim(true, null);
  }

  /** The Auth {@code peer} sends a, once a's Hello reached it and its own claim was granted. */
  private Auth authOf(Side peer) {
    peer.handshaker.onMessage(a.hello);
    return only(Auth.class, peer.handshaker.onClaim(true, null));
  }

  private static Refusal badSignature() {
    return Refusal.violation(DisconnectReason.INVALID_SIGNATURE, "invalid_signature",
        "the handshake signature does not verify", MALFORMED);
  }

  private static Refusal unexpected(String type) {
    return Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, "unexpected_message",
        "unexpected " + type + " during the handshake", MALFORMED);
  }

  private static void assertClaim(Side peer, HandshakeStep<WireMessage, MeshHandshake> step) {
    assertEquals(new HandshakeStep.Claim<>(List.of(), peer.key.peerId().toString()), step);
  }

  /** Established with {@code peer}: its id, its Hello and its nodeInfo, after {@code sent}. */
  private static void assertEstablished(Side peer, List<WireMessage> sent,
                                        HandshakeStep<WireMessage, MeshHandshake> step) {
    assertEquals(new HandshakeStep.Established<>(sent, new MeshHandshake(peer.key.peerId(), peer.hello,
        peer.nodeInfo.get())), step);
  }

  /** A refusal with nothing sent: the layer's close sends the Disconnect. */
  private static void assertRefused(Refusal refusal, HandshakeStep<WireMessage, MeshHandshake> step) {
    assertEquals(new HandshakeStep.Refused<>(List.of(), refusal), step);
  }

  private static <T extends WireMessage> T only(Class<T> type, HandshakeStep<WireMessage, MeshHandshake> step) {
    assertEquals(1, step.send().size(), "sent " + step.send());
    return assertInstanceOf(type, step.send().get(0));
  }

  /** A fixed key, so that a failure reproduces. */
  private static NodeKey key(int fill) {
    byte[] d = new byte[32];
    Arrays.fill(d, (byte) fill);
    return NodeKey.fromPrivateKey(d);
  }

  private static byte[] nonce(int fill) {
    byte[] nonce = new byte[Hello.NONCE_BYTES];
    Arrays.fill(nonce, (byte) fill);
    return nonce;
  }

  private static JsonPayload info(String name) {
    return JsonPayload.of(new JsonObject().put("name", name));
  }

  /** A nodeInfo of exactly {@code bytes} bytes. */
  private static JsonPayload nodeInfoOf(int bytes) {
    int emptyBlob = JsonPayload.of(new JsonObject().put("blob", "")).length();
    JsonPayload info = JsonPayload.of(new JsonObject().put("blob", "x".repeat(bytes - emptyBlob)));
    assertEquals(bytes, info.length());
    return info;
  }
}
