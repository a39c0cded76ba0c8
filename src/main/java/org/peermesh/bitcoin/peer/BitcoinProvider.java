package org.peermesh.bitcoin.peer;

import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.node.BitcoinOptions;
import org.peermesh.peer.ProtocolProvider;

/** Registers the Bitcoin protocol with the node: the {@code bitcoin} config section runs it. */
public final class BitcoinProvider implements ProtocolProvider {

  @Override
  public String name() {
    return BusAddresses.BITCOIN;
  }

  @Override
  public ProtocolSetup<?, ?> setup(JsonObject section) {
    BitcoinProtocol protocol = new BitcoinProtocol(new BitcoinOptions(section));
    return new ProtocolSetup<>(protocol, protocol.settings());
  }
}
