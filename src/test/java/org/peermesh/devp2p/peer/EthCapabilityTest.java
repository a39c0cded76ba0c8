package org.peermesh.devp2p.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.peermesh.config.ConfigBinder;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.CapabilityNegotiation;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.base.SubProtocol;
import org.peermesh.devp2p.eth.EthOptions;
import org.peermesh.devp2p.eth.ForkId;
import org.peermesh.devp2p.eth.Status63Message;
import org.peermesh.devp2p.eth.StatusCheck;
import org.peermesh.devp2p.eth.StatusMessage;
import org.peermesh.devp2p.rlpx.Eip8Vectors;

/** eth/63, eth/64 and eth/68 offered side by side; the negotiated version's Status, as pure code. */
class EthCapabilityTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] GENESIS =
      HEX.parseHex("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3");
  private static final ForkId FORK_ID = new ForkId(HEX.parseHex("9f3d2254"), 1746612311L);
  private static final EthOptions ETH = new EthOptions().setNetworkId(20).setGenesisHash(HEX.formatHex(GENESIS))
      .setForkId(FORK_ID);

  @Test
  void offersEth63Eth64AndEth68EachOf17Codes() {
    List<SubProtocol> offered = EthCapability.protocols(ETH).stream().map(Devp2pProtocol::subProtocol).toList();
    assertEquals(List.of(new SubProtocol("eth", 63, 17), new SubProtocol("eth", 64, 17),
        new SubProtocol("eth", 68, 17)), offered);
    RlpxProtocol node = new RlpxProtocol(new Devp2pOptions().setEth(ETH), Eip8Vectors.STATIC_KEY_A, List.of());
    assertEquals(List.of(new Capability("eth", 63), new Capability("eth", 64), new Capability("eth", 68)),
        node.capabilities());
  }

  @Test
  void noBusCapabilityNamedEthBesideTheEthSection() {
    List<String> problems = new ArrayList<>();
    ConfigBinder.check(new Devp2pOptions().setEth(ETH)
        .setCapabilities(List.of(new Devp2pOptions.BusCapability("eth", 65, 17))), RlpxProtocol.NAME, problems);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("no eth capability beside the eth section, which serves eth/63, eth/64 and "
        + "eth/68"), problems.get(0));
    problems.clear();
    ConfigBinder.check(new Devp2pOptions()
        .setCapabilities(List.of(new Devp2pOptions.BusCapability("eth", 65, 17))), RlpxProtocol.NAME, problems);
    assertEquals(List.of(), problems);
  }

  @Test
  void theHighestSharedVersionRuns() {
    List<SubProtocol> ours = EthCapability.protocols(ETH).stream().map(Devp2pProtocol::subProtocol).toList();
    // ESC offers eth/64 and eth/63; an Ethereum node today eth/68 (and eth/69); an old one eth/63 alone.
    assertEquals(new Capability("eth", 64), only(CapabilityNegotiation.negotiate(ours,
        List.of(new Capability("eth", 64), new Capability("eth", 63)))));
    assertEquals(new Capability("eth", 68), only(CapabilityNegotiation.negotiate(ours,
        List.of(new Capability("eth", 68), new Capability("eth", 69)))));
    assertEquals(new Capability("eth", 63), only(CapabilityNegotiation.negotiate(ours,
        List.of(new Capability("eth", 63)))));
  }

  @Test
  void eachVersionSendsItsOwnStatus() {
    assertArrayEquals(ETH.status63().encode(), EthCapability.StatusHandshake.of(ETH, 63).ours());
    assertArrayEquals(ETH.status64().encode(), EthCapability.StatusHandshake.of(ETH, 64).ours());
    assertArrayEquals(ETH.status().encode(), EthCapability.StatusHandshake.of(ETH, 68).ours());
    assertEquals(63, Status63Message.decode(EthCapability.StatusHandshake.of(ETH, 63).ours()).protocolVersion());
    assertEquals(64, StatusMessage.decode(EthCapability.StatusHandshake.of(ETH, 64).ours()).protocolVersion());
    assertThrows(IllegalArgumentException.class, () -> EthCapability.StatusHandshake.of(ETH, 65));
  }

  @Test
  void eth64TakesAnEscPeerOfTheChainAndChecksItsForkId() {
    EthCapability.StatusHandshake eth64 = EthCapability.StatusHandshake.of(ETH, 64);
    StatusMessage esc = new StatusMessage(64, 20, BigInteger.valueOf(123_456), new byte[32], GENESIS, FORK_ID);
    assertEquals(Optional.empty(), eth64.judge(StatusMessage.CODE, esc.encode()));
    StatusMessage otherFork = new StatusMessage(64, 20, BigInteger.ONE, new byte[32], GENESIS,
        new ForkId(new byte[4], 0));
    assertEquals(StatusCheck.Failure.FORK_ID_REJECTED,
        eth64.judge(StatusMessage.CODE, otherFork.encode()).orElseThrow().failure());
    // An eth/63 Status on eth/64 does not decode: ESC would refuse it with 0x10.
    StatusCheck.Refused short63 = eth64.judge(StatusMessage.CODE, ETH.status63().encode()).orElseThrow();
    assertEquals(StatusCheck.Failure.INVALID_MESSAGE, short63.failure());
    assertEquals(Devp2pDisconnectReason.SUBPROTOCOL_ERROR, short63.reason());
  }

  @Test
  void eth63TakesAStatusWithoutForkIdAndChecksGenesisFirst() {
    EthCapability.StatusHandshake eth63 = EthCapability.StatusHandshake.of(ETH, 63);
    Status63Message esc = new Status63Message(63, 20, BigInteger.TEN, new byte[32], GENESIS);
    assertEquals(Optional.empty(), eth63.judge(StatusMessage.CODE, esc.encode()));
    Status63Message otherChain = new Status63Message(64, 1, BigInteger.TEN, new byte[32], new byte[32]);
    assertEquals(StatusCheck.Failure.GENESIS_MISMATCH,
        eth63.judge(StatusMessage.CODE, otherChain.encode()).orElseThrow().failure());
    assertEquals(StatusCheck.Failure.INVALID_MESSAGE,
        eth63.judge(StatusMessage.CODE, ETH.status64().encode()).orElseThrow().failure());
    assertEquals(StatusCheck.Failure.NO_STATUS, eth63.judge(0x03, esc.encode()).orElseThrow().failure());
  }

  @Test
  void eth68RefusesAnUndecodableStatusAsABreachOfProtocol() {
    StatusCheck.Refused refused = EthCapability.StatusHandshake.of(ETH, 68)
        .judge(StatusMessage.CODE, ETH.status63().encode()).orElseThrow();
    assertEquals(Devp2pDisconnectReason.PROTOCOL_ERROR, refused.reason());
  }

  private static Capability only(CapabilityNegotiation.Negotiated negotiated) {
    assertEquals(1, negotiated.shared().size(), negotiated.toString());
    assertEquals(0x10, negotiated.shared().get(0).offset());
    return negotiated.shared().get(0).capability();
  }
}
