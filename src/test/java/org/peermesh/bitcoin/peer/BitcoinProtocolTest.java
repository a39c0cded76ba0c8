package org.peermesh.bitcoin.peer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.peermesh.bitcoin.wire.GetDataMessage;
import org.peermesh.bitcoin.wire.InventoryItem;
import org.peermesh.bitcoin.wire.InventoryType;
import org.peermesh.bitcoin.wire.RawMessage;
import org.peermesh.bitcoin.wire.Sha256Hash;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BitcoinProtocolTest {

  private static final String GENESIS = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";

  @Test
  void realCommandsGetAnAddressOfTheirOwnButNotTheNodesNames() {
    for (String command : List.of("block", "tx", "inv", "addrv2", "sendcmpct", "cmpctblock")) {
      assertTrue(BitcoinProtocol.hasOwnAddress(command), command);
    }
    for (String command : List.of("message", "error", "command", "peer", "stateChange", "a.b", "x y", "")) {
      assertFalse(BitcoinProtocol.hasOwnAddress(command), command);
    }
  }

  @Test
  void aSendCommandNamesAMessageInItsJsonOrItsRawPayload() {
    JsonObject getData = new JsonObject().put("peer", "127.0.0.1:18444").put("command", "getdata")
        .put("message", new JsonObject().put("items", new JsonArray()
            .add(new JsonObject().put("type", "MSG_WITNESS_BLOCK").put("hash", GENESIS))));
    assertEquals(new GetDataMessage(List.of(new InventoryItem(InventoryType.MSG_WITNESS_BLOCK,
        Sha256Hash.fromHex(GENESIS)))), BitcoinProtocol.messageOf(getData));

    RawMessage raw = assertInstanceOf(RawMessage.class, BitcoinProtocol.messageOf(new JsonObject()
        .put("command", "mycommand").put("payload", "00ff")));
    assertEquals("mycommand", raw.command());
    assertEquals(2, raw.payload().length());

    assertThrows(IllegalArgumentException.class, () -> BitcoinProtocol.messageOf(new JsonObject()));
    assertThrows(IllegalArgumentException.class, () -> BitcoinProtocol.messageOf(new JsonObject()
        .put("command", "getdata").put("message", new JsonObject().put("items", "nope"))));
    assertThrows(IllegalArgumentException.class, () -> BitcoinProtocol.messageOf(new JsonObject()
        .put("command", "x").put("payload", "zz")));
    assertThrows(IllegalArgumentException.class, () -> BitcoinProtocol.messageOf(new JsonObject()
        .put("command", "thirteen-long").put("payload", "")));
  }
}
