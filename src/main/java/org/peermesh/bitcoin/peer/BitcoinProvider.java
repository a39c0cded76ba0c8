package org.peermesh.bitcoin.peer;

import org.peermesh.peer.ProtocolProvider;
import org.peermesh.peer.WireProtocol;

import java.nio.file.Path;

/** Registers the Bitcoin protocol with the node: the {@code bitcoin} config section runs it. */
public final class BitcoinProvider implements ProtocolProvider<BitcoinOptions> {

  @Override
  public String name() {
    return BitcoinProtocol.NAME;
  }

  @Override
  public BitcoinOptions newOptions() {
    return new BitcoinOptions();
  }

  @Override
  public WireProtocol<?, ?> protocol(BitcoinOptions options, Path dataDir) {
    return new BitcoinProtocol(options);
  }
}
