package org.peermesh.mesh;

import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.JsonPayload;

import java.util.Objects;

/**
 * An application message on its way to peers, held as the wire message it becomes: validated and encoded once,
 * however many peers it goes to.
 */
public record OutgoingMessage(AppMessage frame) {

  public OutgoingMessage {
    Objects.requireNonNull(frame, "frame");
  }

  /** @throws IllegalArgumentException if the event name is empty or longer than the wire allows */
  public OutgoingMessage(String event, JsonPayload data) {
    this(new AppMessage(event, data));
  }

  public String event() {
    return frame.event();
  }
}
