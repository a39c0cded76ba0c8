package org.peermesh.antelope.peer;

import org.peermesh.antelope.crypto.AntelopeNodeKey;
import org.peermesh.antelope.crypto.AntelopePrivateKey;
import org.peermesh.peer.ProtocolProvider;
import org.peermesh.peer.WireProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Registers the Antelope protocol with the node: the {@code antelope} config section runs it, with the node's K1 key
 * in {@code <dataDir>/antelope.key}, created on first start.
 */
public final class AntelopeProvider implements ProtocolProvider<AntelopeOptions> {

  /** The key file's name in the data directory. */
  public static final String KEY_FILE = "antelope.key";
  private static final Logger LOG = LoggerFactory.getLogger(AntelopeProvider.class);

  @Override
  public String name() {
    return AntelopeProtocol.NAME;
  }

  @Override
  public AntelopeOptions newOptions() {
    return new AntelopeOptions();
  }

  @Override
  public WireProtocol<?, ?> protocol(AntelopeOptions options, Path dataDir) {
    AntelopePrivateKey key = AntelopeNodeKey.loadOrCreate(dataDir.resolve(KEY_FILE));
    AntelopeProtocol protocol = new AntelopeProtocol(options, key);
    LOG.info("Antelope node {} on chain {}, key {}", protocol.nodeId().toHex().substring(0, 7), options.getChainId(),
        protocol.publicKey());
    return protocol;
  }
}
