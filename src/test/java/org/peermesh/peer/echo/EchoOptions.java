package org.peermesh.peer.echo;

import org.peermesh.config.Checks;
import org.peermesh.peer.PoolOptions;

/** The {@code echo} section of a node config: the pool's keys, and the id this node's echo peers claim. */
public final class EchoOptions extends PoolOptions<EchoOptions> {

  private String id = "echo-node";

  public EchoOptions() {
    setMaxMessageSize(EchoMessage.MAX_LENGTH + 2);
    setMaxWriteQueueSize(2L * (EchoMessage.MAX_LENGTH + 2));
  }

  @Override
  public void check(Checks c) {
    super.check(c);
    c.text("id", id, "a non-blank id", s -> !s.isBlank());
  }

  public String getId() {
    return id;
  }

  public EchoOptions setId(String id) {
    this.id = id;
    return this;
  }
}
