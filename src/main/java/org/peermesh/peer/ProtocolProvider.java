package org.peermesh.peer;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.ServiceLoader;

/**
 * How a wire protocol joins a node: a provider named in {@code META-INF/services/org.peermesh.peer.ProtocolProvider}
 * is found by {@link ServiceLoader}, and the node runs a {@link ConnectionPool} of its protocol whenever the config
 * has the protocol's section. Its addresses ({@code <prefix>.<name>.*}) and its bridge permissions follow from its
 * name; the node, the bus and the command line need no line of their own for it.
 */
public interface ProtocolProvider {

  /** The protocol's name: its config section, its ban file's prefix and the segment of its bus addresses. */
  String name();

  /** The protocol and its pool's settings for a node whose config has this section (already validated). */
  ProtocolSetup<?, ?> setup(JsonObject section);

  /** The providers on the class path, in the order ServiceLoader finds them. */
  static List<ProtocolProvider> installed() {
    return ServiceLoader.load(ProtocolProvider.class).stream().map(ServiceLoader.Provider::get).toList();
  }

  /** A protocol ready to run: what its peers speak, and its pool's settings. */
  record ProtocolSetup<M, R>(WireProtocol<M, R> protocol, PoolSettings settings) {
  }
}
