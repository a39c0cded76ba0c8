package org.peermesh.routing;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.Failure;
import org.peermesh.peer.OutgoingMessage;
import org.peermesh.peer.OutgoingRequest;
import org.peermesh.wire.JsonPayload;

import java.nio.charset.StandardCharsets;

/**
 * Reads command bodies. A service in another JVM or language sends JSON ({@code {"event", "data", "peerId"}});
 * a caller in this JVM sends the command object itself and, for the {@code ToPeer}/{@code FromPeer} forms, the
 * peer id in the {@value #PEER_ID_HEADER} header, so that nothing is copied or re-encoded on the way.
 */
public final class Commands {

  public static final String PEER_ID_HEADER = "peerId";
  private static final int MAX_NAME_BYTES = 255;

  private Commands() {
  }

  public static OutgoingMessage message(Message<Object> command) {
    Object body = command.body();
    if (body instanceof OutgoingMessage message) {
      return message;
    }
    JsonObject json = jsonBody(command);
    return new OutgoingMessage(name(json, "event"), payload(json));
  }

  public static OutgoingRequest request(Message<Object> command) {
    Object body = command.body();
    if (body instanceof OutgoingRequest request) {
      return request;
    }
    JsonObject json = jsonBody(command);
    return new OutgoingRequest(name(json, "procedure"), payload(json));
  }

  public static String peerId(Message<Object> command) {
    String peerId = command.body() instanceof JsonObject json && json.getValue("peerId") instanceof String id
        ? id : command.headers().get(PEER_ID_HEADER);
    if (peerId == null || peerId.isEmpty()) {
      throw badRequest(command.address() + ": 'peerId' must be a non-empty string");
    }
    return peerId;
  }

  public static JsonObject jsonBody(Message<Object> command) {
    if (command.body() instanceof JsonObject json) {
      return json;
    }
    throw badRequest(command.address() + ": expected a JSON object body, got "
        + (command.body() == null ? "nothing" : command.body().getClass().getSimpleName()));
  }

  /** Validates an event or procedure name: a non-empty string of at most 255 UTF-8 bytes, as the wire allows. */
  public static String name(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (!(value instanceof String name) || name.isEmpty()) {
      throw badRequest("'" + key + "' must be a non-empty string");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw badRequest("'" + key + "' must be at most " + MAX_NAME_BYTES + " bytes of UTF-8");
    }
    return name;
  }

  private static JsonPayload payload(JsonObject json) {
    try {
      return JsonPayload.of(json.getValue("data"));
    } catch (EncodeException | DecodeException | IllegalArgumentException e) {
      throw badRequest("'data' is not JSON: " + e.getMessage());
    }
  }

  public static ReplyException badRequest(String message) {
    return Failure.BAD_REQUEST.exception(message);
  }

  /** Answers a command with the failure an exception describes, keeping the failure code a router chose. */
  public static void fail(Message<Object> command, Throwable error) {
    if (error instanceof ReplyException reply) {
      command.fail(reply.failureCode(), reply.getMessage());
    } else {
      command.fail(Failure.BAD_REQUEST.code(), String.valueOf(error.getMessage()));
    }
  }
}
