package org.peermesh.devp2p.peer;

import org.peermesh.crypto.NodeKeyStore;
import org.peermesh.peer.ProtocolProvider;
import org.peermesh.peer.WireProtocol;

import java.nio.file.Path;
import java.util.List;

/**
 * devp2p for a node whose config has a {@code devp2p} section: its key in {@code <dataDir>/devp2p.key}, created on
 * first start, owner-only, in the form of go-ethereum's {@code nodekey} (the private key in hex) and a newline.
 */
public final class Devp2pProvider implements ProtocolProvider<Devp2pOptions> {

  /** The key file's name in the data directory. */
  public static final String KEY_FILE = "devp2p.key";

  @Override
  public String name() {
    return RlpxProtocol.NAME;
  }

  @Override
  public Devp2pOptions newOptions() {
    return new Devp2pOptions();
  }

  @Override
  public WireProtocol<?, ?> protocol(Devp2pOptions options, Path dataDir) {
    return new RlpxProtocol(options, NodeKeyStore.loadOrCreate(dataDir.resolve(KEY_FILE)).privateKeyBytes(),
        List.of());
  }
}
