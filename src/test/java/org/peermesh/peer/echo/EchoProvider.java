package org.peermesh.peer.echo;

import org.peermesh.peer.ProtocolProvider;
import org.peermesh.peer.WireProtocol;

import java.nio.file.Path;

/** Registers the echo protocol as any protocol registers: in META-INF/services, run for an {@code echo} section. */
public final class EchoProvider implements ProtocolProvider<EchoOptions> {

  @Override
  public String name() {
    return EchoProtocol.NAME;
  }

  @Override
  public EchoOptions newOptions() {
    return new EchoOptions();
  }

  @Override
  public WireProtocol<?, ?> protocol(EchoOptions options, Path dataDir) {
    return new EchoProtocol(options.getId());
  }
}
