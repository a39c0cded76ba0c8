package org.peermesh.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Delivers one JsonObject to every consumer in this JVM without a copy each, for bodies nobody can change (frozen,
 * as messages received from peers are); Vert.x's own JsonObject codec copies per consumer because a JsonObject may
 * be changed by one of them. Across JVMs it travels as any JsonObject does, and arrives as one.
 */
public final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {

  public static final String NAME = "peermesh.shared-json";
  private static final DeliveryOptions SHARED = new DeliveryOptions().setCodecName(NAME);
  private static final DeliveryOptions COPIED = new DeliveryOptions();

  /**
   * What a frozen body is published with: this codec, unless the bus is clustered, where a member that is not a
   * PeerMesh node (a service built only on the documented addresses) would not know the codec's name, and each
   * consumer in this JVM gets its copy, as Vert.x gives it.
   */
  public static DeliveryOptions deliveryFor(Vertx vertx) {
    return vertx.isClustered() ? COPIED : SHARED;
  }

  /** Registers the codec once per Vert.x instance however many nodes share it. */
  public static void registerOn(EventBus eventBus) {
    try {
      eventBus.registerCodec(new SharedJsonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another node of this Vert.x instance registered it: the codec is stateless, theirs serves us too.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject body) {
    Buffer encoded = body.toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.slice(pos + Integer.BYTES, pos + Integer.BYTES + length));
  }

  @Override
  public JsonObject transform(JsonObject body) {
    return body;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
