package org.peermesh.testing.bitcoin;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.peermesh.testing.Interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bcoin harness itself: a real regtest node that mines, pays and listens where it says. */
@Interop
class BcoinHarnessTest {

  /** Regtest's message start, fa bf b5 da on the wire: the same in bcoin and in Bitcoin Core. */
  private static final int REGTEST_MAGIC = 0xdab5bffa;

  private static BcoinNode bcoin;

  @BeforeAll
  static void startBcoin() {
    bcoin = BcoinNode.start();
  }

  @AfterAll
  static void stopBcoin() {
    if (bcoin != null) {
      bcoin.close();
    }
  }

  @Test
  void reportsRegtest() {
    JsonObject info = (JsonObject) bcoin.rpc("getblockchaininfo");
    assertEquals("regtest", info.getString("chain"));
  }

  @Test
  void minesBlocksToAWalletAddressAndPaysFromThem() {
    String address = bcoin.newAddress();
    int start = bcoin.blockCount();

    List<String> hashes = bcoin.generateToAddress(3, address);

    assertEquals(3, hashes.size());
    for (int i = 0; i < hashes.size(); i++) {
      JsonObject header = bcoin.blockHeader(hashes.get(i));
      assertEquals(start + i + 1, header.getInteger("height"));
      assertEquals(hashes.get(i), header.getString("hash"));
    }
    assertEquals(start + 3, bcoin.blockCount());

    // The first coinbase matures under 100 more blocks; then the wallet can pay, into the mempool.
    bcoin.generateToAddress(100, address);
    String txid = bcoin.sendToAddress(bcoin.newAddress(), 1.5);
    assertTrue(bcoin.rpc("getrawmempool").toString().contains(txid), txid + " in the mempool");
  }

  @Test
  void speaksBitcoinOnItsP2pPort() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(bcoin.host(), bcoin.p2pPort()), 5000);
      socket.setSoTimeout(10_000);
      // bcoin sends its version as soon as it accepts a connection: a 24-byte header with regtest's magic.
      byte[] header = socket.getInputStream().readNBytes(24);
      assertEquals(24, header.length, "header bytes before the end of the stream");
      assertEquals(REGTEST_MAGIC, ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
      // The command, NUL-padded to 12 bytes.
      assertEquals("version", new String(header, 4, 12, StandardCharsets.US_ASCII).replace("\0", ""));
    }
  }
}
