package org.peermesh.bus;

import org.junit.jupiter.api.Test;
import org.peermesh.bitcoin.peer.BitcoinProtocol;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusAddressesTest {

  private final BusAddresses addresses = new BusAddresses("peermesh");

  @Test
  void bridgeClientsMayConsumeEventsButNeitherCommandsNorMailboxes() {
    Pattern consumable = Pattern.compile(addresses.consumableAddressRegex(List.of(BitcoinProtocol.NAME)));
    for (String allowed : new String[] {"peermesh.message.chat", "peermesh.event.banPeer", "peermesh.rpc.height",
        addresses.protocol(BitcoinProtocol.NAME).message("block"), addresses.protocol(BitcoinProtocol.NAME).raw(), addresses.protocol(BitcoinProtocol.NAME).stateChange(),
        addresses.protocol(BitcoinProtocol.NAME).error()}) {
      assertTrue(consumable.matcher(allowed).matches(), allowed);
    }
    for (String refused : new String[] {addresses.send(), addresses.peer("abc"), addresses.protocol(BitcoinProtocol.NAME).command("send"),
        addresses.protocol(BitcoinProtocol.NAME).command("connect"), addresses.protocol(BitcoinProtocol.NAME).peer("127.0.0.1:18444"), "other.bitcoin.block"}) {
      assertFalse(consumable.matcher(refused).matches(), refused);
    }
  }

  @Test
  void aProtocolsAddressesSitUnderThePrefixAndItsCommandsAreBridged() {
    assertEquals("peermesh.bitcoin.tx", addresses.protocol(BitcoinProtocol.NAME).message("tx"));
    // A message type never takes one of the node's own names: a peer could otherwise forge the node's events.
    for (String reserved : ProtocolAddresses.RESERVED) {
      assertThrows(IllegalArgumentException.class, () -> addresses.protocol(BitcoinProtocol.NAME).message(reserved), reserved);
    }
    assertEquals("peermesh.bitcoin.command.send", addresses.protocol(BitcoinProtocol.NAME).command("send"));
    Pattern commands = Pattern.compile(addresses.protocolCommandRegex(List.of(BitcoinProtocol.NAME, "echo")));
    for (String command : List.of("connect", "send", "disconnect", "peers")) {
      assertTrue(commands.matcher(addresses.protocol(BitcoinProtocol.NAME).command(command)).matches(), command);
      assertTrue(commands.matcher(addresses.protocol("echo").command(command)).matches(), command);
    }
    for (String refused : List.of(addresses.protocol(BitcoinProtocol.NAME).peer("127.0.0.1:18444"), addresses.protocol(BitcoinProtocol.NAME).message("block"),
        "peermesh.other.command.send", "other.bitcoin.command.send")) {
      assertFalse(commands.matcher(refused).matches(), refused);
    }
  }
}
