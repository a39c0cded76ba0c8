package org.peermesh.bus;

import org.junit.jupiter.api.Test;

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
    Pattern consumable = Pattern.compile(addresses.consumableAddressRegex(List.of(BusAddresses.BITCOIN)));
    for (String allowed : new String[] {"peermesh.message.chat", "peermesh.event.banPeer", "peermesh.rpc.height",
        addresses.bitcoin().message("block"), addresses.bitcoin().raw(), addresses.bitcoin().stateChange(),
        addresses.bitcoin().error()}) {
      assertTrue(consumable.matcher(allowed).matches(), allowed);
    }
    for (String refused : new String[] {addresses.send(), addresses.peer("abc"), addresses.bitcoin().command("send"),
        addresses.bitcoin().command("connect"), addresses.bitcoin().peer("127.0.0.1:18444"), "other.bitcoin.block"}) {
      assertFalse(consumable.matcher(refused).matches(), refused);
    }
  }

  @Test
  void aProtocolsAddressesSitUnderThePrefixAndItsCommandsAreBridged() {
    assertEquals("peermesh.bitcoin.tx", addresses.bitcoin().message("tx"));
    // A message type never takes one of the node's own names: a peer could otherwise forge the node's events.
    for (String reserved : ProtocolAddresses.RESERVED) {
      assertThrows(IllegalArgumentException.class, () -> addresses.bitcoin().message(reserved), reserved);
    }
    assertEquals("peermesh.bitcoin.command.send", addresses.bitcoin().command("send"));
    Pattern commands = Pattern.compile(addresses.protocolCommandRegex(List.of(BusAddresses.BITCOIN, "echo")));
    for (String command : List.of("connect", "send", "disconnect", "peers")) {
      assertTrue(commands.matcher(addresses.bitcoin().command(command)).matches(), command);
      assertTrue(commands.matcher(addresses.protocol("echo").command(command)).matches(), command);
    }
    for (String refused : List.of(addresses.bitcoin().peer("127.0.0.1:18444"), addresses.bitcoin().message("block"),
        "peermesh.other.command.send", "other.bitcoin.command.send")) {
      assertFalse(commands.matcher(refused).matches(), refused);
    }
  }
}
