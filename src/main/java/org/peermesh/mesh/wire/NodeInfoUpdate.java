package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

/**
 * The sender's node info has changed since its {@link Auth}; replaces it whole.
 *
 * <pre>
 * nodeInfo the rest of the frame, a JSON object
 * </pre>
 */
public record NodeInfoUpdate(JsonPayload nodeInfo) implements WireMessage {

  public NodeInfoUpdate {
    Fields.requireObject(nodeInfo, "nodeInfo");
  }

  static NodeInfoUpdate read(BodyReader in) {
    return new NodeInfoUpdate(in.restJson("nodeInfo"));
  }

  @Override
  public byte type() {
    return NODE_INFO_UPDATE;
  }

  @Override
  public void writeBody(Buffer out) {
    nodeInfo.writeTo(out);
  }
}
