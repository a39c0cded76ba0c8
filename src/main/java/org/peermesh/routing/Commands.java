package org.peermesh.routing;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.Failure;
import org.peermesh.mesh.OutgoingBatch;
import org.peermesh.mesh.OutgoingMessage;
import org.peermesh.mesh.OutgoingRequest;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.JsonPayload;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;


/**
 * Reads command bodies. A service in another JVM or language sends JSON ({@code {"event", "data", "peerId"}});
 * the node's Java API sends {@code send}, {@code broadcast} and {@code request} the command object itself, so that
 * nothing is copied or re-encoded on the way, and its named-peer commands straight to the peer's mailbox
 * ({@link PeerMailboxes}).
 */
public final class Commands {

  private Commands() {
  }

  /** The message a command carries, refused if its frame would exceed the mesh's {@code maxMessageSize}. */
  public static OutgoingMessage message(Message<Object> command, int maxMessageSize) {
    return fitting(body(command, OutgoingMessage.class,
        json -> new OutgoingMessage(name(json, "event"), payload(json))), maxMessageSize);
  }

  /** The message, refused with 400 if its frame would exceed the mesh's {@code maxMessageSize}. */
  public static OutgoingMessage fitting(OutgoingMessage message, int maxMessageSize) {
    requireFits("message", message.frame().frameLength(), maxMessageSize);
    return message;
  }

  /** The request, refused with 400 if its frame would exceed the mesh's {@code maxMessageSize}. */
  public static OutgoingRequest fitting(OutgoingRequest request, int maxMessageSize) {
    requireFits("request", request.frame(0).frameLength(), maxMessageSize);
    return request;
  }

  /**
   * What a {@code sendToPeer} carries: one message ({@code "event", "data"}) or, with {@code "messages"}, a batch of
   * them ({@code [{"event", "data"}, ...]}) acknowledged as one; each refused if its frame would exceed the mesh's
   * {@code maxMessageSize}.
   */
  public static OutgoingBatch messages(Message<Object> command, int maxMessageSize) {
    if (!(command.body() instanceof JsonObject json) || !json.containsKey("messages")) {
      return new OutgoingBatch(List.of(message(command, maxMessageSize).frame()));
    }
    if (!(json.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw badRequest("'messages' must be a non-empty array of {\"event\", \"data\"}");
    }
    List<AppMessage> frames = new ArrayList<>(messages.size());
    for (Object each : messages) {
      if (!(each instanceof JsonObject message)) {
        throw badRequest("'messages' must be a non-empty array of {\"event\", \"data\"}");
      }
      AppMessage frame = new OutgoingMessage(name(message, "event"), payload(message)).frame();
      requireFits("message", frame.frameLength(), maxMessageSize);
      frames.add(frame);
    }
    return new OutgoingBatch(frames);
  }

  /** The request a command carries, refused if its frame would exceed the mesh's {@code maxMessageSize}. */
  public static OutgoingRequest request(Message<Object> command, int maxMessageSize) {
    return fitting(body(command, OutgoingRequest.class,
        json -> new OutgoingRequest(name(json, "procedure"), payload(json))), maxMessageSize);
  }

  /** The command object itself from a caller in this JVM, or one read from the JSON body of any other caller. */
  private static <T> T body(Message<Object> command, Class<T> type, Function<JsonObject, T> fromJson) {
    return type.isInstance(command.body()) ? type.cast(command.body()) : fromJson.apply(jsonBody(command));
  }

  private static void requireFits(String what, long frameLength, int maxMessageSize) {
    if (frameLength > maxMessageSize) {
      throw tooLarge(what, frameLength, maxMessageSize);
    }
  }

  /** The 400 of a frame over the mesh's {@code maxMessageSize}. */
  static ReplyException tooLarge(String what, long frameLength, int maxMessageSize) {
    return badRequest("'data' makes a " + what + " frame of " + frameLength + " bytes, more than mesh.maxMessageSize "
        + maxMessageSize);
  }

  public static String peerId(Message<Object> command) {
    String peerId = command.body() instanceof JsonObject json && json.getValue("peerId") instanceof String id
        ? id : null;
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

  /** An event or procedure name must be a non-empty string; the wire message checks its length. */
  private static String name(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (!(value instanceof String name) || name.isEmpty()) {
      throw badRequest("'" + key + "' must be a non-empty string");
    }
    return name;
  }

  private static JsonPayload payload(JsonObject json) {
    try {
      return JsonPayload.of(json.getValue("data"));
    } catch (EncodeException | DecodeException e) {
      throw badRequest("'data' is not JSON: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw badRequest("'data' cannot be sent: " + e.getMessage());
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
