package org.peermesh.peer;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * How a wire protocol joins a node: a provider named in {@code META-INF/services/org.peermesh.peer.ProtocolProvider}
 * is found by {@link ServiceLoader}, and the node runs a {@link ConnectionPool} of its protocol whenever the config
 * has the protocol's section. Its section's keys are its options class's fields, the pool's included; its addresses
 * ({@code <prefix>.<name>.*}) and its bridge permissions follow from its name. The node, the bus and the command line
 * need no line of their own for it.
 *
 * @param <O> the protocol's options, its config section
 */
public interface ProtocolProvider<O extends PoolOptions<O>> {

  /** The protocol's name: its config section, its ban file's prefix and the segment of its bus addresses. */
  String name();

  /** Options with every default, for the config to fill. */
  O newOptions();

  /**
   * The protocol for a node whose config has this section (already checked). Called on a worker thread, as a
   * protocol may load or create what it keeps in the node's {@code dataDir} (Antelope's node key).
   *
   * @throws RuntimeException naming what could not be loaded; the node then does not start
   */
  WireProtocol<?, ?> protocol(O options, Path dataDir);

  /** The providers on the class path, in the order ServiceLoader finds them. */
  static List<ProtocolProvider<?>> installed() {
    return ServiceLoader.load(ProtocolProvider.class).stream()
        .<ProtocolProvider<?>>map(ServiceLoader.Provider::get).toList();
  }
}
