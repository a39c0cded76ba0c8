package org.peermesh.mesh;

import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.Request;

/**
 * A request on its way to one peer; the peer verticle gives it an id and answers it with the remote peer's
 * response.
 */
public record OutgoingRequest(String procedure, JsonPayload data) {

  public OutgoingRequest {
    // Validates the procedure name as the wire will.
    new Request(0, procedure, data);
  }

  /** The request frame this becomes under the given correlation id. */
  public Request frame(long id) {
    return new Request(id, procedure, data);
  }
}
