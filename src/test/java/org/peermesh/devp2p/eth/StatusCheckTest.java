package org.peermesh.devp2p.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.eth.StatusCheck.Failure;
import org.peermesh.devp2p.eth.StatusCheck.Refused;
import org.peermesh.devp2p.rlp.RlpException;

/** go-ethereum's refusals of a peer's Status, in its order, each with the Disconnect reason geth sends. */
class StatusCheckTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final StatusMessage OURS = StatusMessageTest.mainnet();

  private static StatusMessage theirs(long version, long networkId, byte[] genesis, ForkId forkId) {
    return new StatusMessage(version, networkId, BigInteger.TEN, new byte[32], genesis, forkId);
  }

  @Test
  void acceptsAPeerOfOurChainWhateverItsHeadAndNextFork() {
    assertEquals(Optional.empty(), StatusCheck.check(OURS, OURS));
    ForkId sameHashOtherNext = new ForkId(OURS.forkId().hash(), 0);
    assertEquals(Optional.empty(),
        StatusCheck.check(OURS, theirs(68, 1, ForkIdTest.MAINNET_GENESIS, sameHashOtherNext)));
  }

  @Test
  void refusesEachMismatchWithASubprotocolError() {
    Refused network = refused(theirs(68, 5, ForkIdTest.MAINNET_GENESIS, OURS.forkId()));
    assertEquals(Failure.NETWORK_ID_MISMATCH, network.failure());
    assertEquals("network ID mismatch: theirs 5, ours 1", network.detail());

    Refused version = refused(theirs(67, 1, ForkIdTest.MAINNET_GENESIS, OURS.forkId()));
    assertEquals(Failure.PROTOCOL_VERSION_MISMATCH, version.failure());
    assertEquals("protocol version mismatch: theirs 67, ours 68", version.detail());

    Refused genesis = refused(theirs(68, 1, new byte[32], OURS.forkId()));
    assertEquals(Failure.GENESIS_MISMATCH, genesis.failure());
    assertEquals("genesis mismatch: theirs 0x" + "00".repeat(32) + ", ours 0x"
        + HEX.formatHex(ForkIdTest.MAINNET_GENESIS), genesis.detail());

    // Prague's hash against our Cancun one: a peer one fork ahead, which geth (knowing the fork) would keep.
    Refused fork = refused(theirs(68, 1, ForkIdTest.MAINNET_GENESIS, new ForkId(HEX.parseHex("c376cf8b"), 0)));
    assertEquals(Failure.FORK_ID_REJECTED, fork.failure());
    assertEquals("fork ID rejected: theirs 0xc376cf8b next 0, ours 0x9f3d2254 next 1746612311", fork.detail());
  }

  @Test
  void checksInGethsOrderNetworkIdFirst() {
    StatusMessage allWrong = theirs(67, 5, new byte[32], new ForkId(new byte[4], 0));
    assertEquals(Failure.NETWORK_ID_MISMATCH, refused(allWrong).failure());
    StatusMessage versionOn = theirs(67, 1, new byte[32], new ForkId(new byte[4], 0));
    assertEquals(Failure.PROTOCOL_VERSION_MISMATCH, refused(versionOn).failure());
    StatusMessage genesisOn = theirs(68, 1, new byte[32], new ForkId(new byte[4], 0));
    assertEquals(Failure.GENESIS_MISMATCH, refused(genesisOn).failure());
  }

  @Test
  void comparesNetworkIdsAsUnsigned() {
    StatusMessage high = new StatusMessage(68, -1L, BigInteger.ZERO, OURS.genesis(), OURS.genesis(), OURS.forkId());
    assertEquals("network ID mismatch: theirs 18446744073709551615, ours 1", refused(high).detail());
  }

  @Test
  void refusesAnUndecodableStatusAsABreachOfProtocol() {
    RlpException e = assertThrows(RlpException.class, () -> StatusMessage.decode(HEX.parseHex("c0")));
    Refused refused = StatusCheck.malformed(e, 68);
    assertEquals(Devp2pDisconnectReason.PROTOCOL_ERROR, refused.reason());
    assertEquals(Failure.INVALID_MESSAGE, refused.failure());
    assertEquals("invalid message: missing: protocol version: no element 0 in a list of 0", refused.detail());
  }

  @Test
  void refusesAnUndecodableEth63Or64StatusWithASubprotocolErrorAsEscDoes() {
    // ESC's readStatus wraps the decoder's error in errResp, a plain error: 0x10, not 0x02.
    RlpException e = assertThrows(RlpException.class, () -> Status63Message.decode(HEX.parseHex("c0")));
    for (int version : new int[] {63, 64}) {
      Refused refused = StatusCheck.malformed(e, version);
      assertEquals(Devp2pDisconnectReason.SUBPROTOCOL_ERROR, refused.reason());
      assertEquals(Failure.INVALID_MESSAGE, refused.failure());
    }
  }

  @Test
  void eth63AcceptsAPeerOfOurChainWhateverItsHead() {
    Status63Message ours = new Status63Message(63, 20, BigInteger.ZERO, OURS.genesis(), OURS.genesis());
    assertEquals(Optional.empty(), StatusCheck.check(ours, ours));
    assertEquals(Optional.empty(),
        StatusCheck.check(ours, new Status63Message(63, 20, BigInteger.TEN, new byte[32], OURS.genesis())));
  }

  @Test
  void eth63ChecksInEscsOrderGenesisFirst() {
    // ESC's readStatusLegacy: genesis, network id, version; eth/64's readStatus: network id first, as eth/68's.
    Status63Message ours = new Status63Message(63, 20, BigInteger.ZERO, OURS.genesis(), OURS.genesis());
    Refused genesis = refused63(ours, new Status63Message(64, 5, BigInteger.ZERO, new byte[32], new byte[32]));
    assertEquals(Failure.GENESIS_MISMATCH, genesis.failure());
    Refused network = refused63(ours, new Status63Message(64, 5, BigInteger.ZERO, new byte[32], OURS.genesis()));
    assertEquals(Failure.NETWORK_ID_MISMATCH, network.failure());
    assertEquals("network ID mismatch: theirs 5, ours 20", network.detail());
    Refused version = refused63(ours, new Status63Message(64, 20, BigInteger.ZERO, new byte[32], OURS.genesis()));
    assertEquals(Failure.PROTOCOL_VERSION_MISMATCH, version.failure());
    assertEquals("protocol version mismatch: theirs 64, ours 63", version.detail());
  }

  private static Refused refused63(Status63Message ours, Status63Message theirs) {
    Refused refused = StatusCheck.check(ours, theirs).orElseThrow();
    assertEquals(Devp2pDisconnectReason.SUBPROTOCOL_ERROR, refused.reason());
    return refused;
  }

  @Test
  void refusesAnotherFirstMessageWithASubprotocolError() {
    Refused refused = StatusCheck.notStatus(0x03);
    assertEquals(Devp2pDisconnectReason.SUBPROTOCOL_ERROR, refused.reason());
    assertEquals("no status message: first message has code 0x3", refused.detail());
  }

  private static Refused refused(StatusMessage theirs) {
    Refused refused = StatusCheck.check(OURS, theirs).orElseThrow();
    assertEquals(Devp2pDisconnectReason.SUBPROTOCOL_ERROR, refused.reason());
    return refused;
  }
}
