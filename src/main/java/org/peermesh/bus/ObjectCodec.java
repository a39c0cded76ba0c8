package org.peermesh.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * Carries an immutable command object on the event bus: by reference inside the JVM, so in-JVM use pays no
 * encoding, and as the bytes {@code toWire} makes of it when the bus crosses to another JVM of a cluster.
 */
public final class ObjectCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;
  private final Function<T, Buffer> toWire;
  private final Function<Buffer, T> fromWire;

  public ObjectCodec(Class<T> type, Function<T, Buffer> toWire, Function<Buffer, T> fromWire) {
    this.type = type;
    this.toWire = toWire;
    this.fromWire = fromWire;
  }

  /** A codec that carries the object across JVMs as its JSON form. */
  public static <T> ObjectCodec<T> json(Class<T> type, Function<T, JsonObject> toJson,
                                        Function<JsonObject, T> fromJson) {
    return new ObjectCodec<>(type, value -> toJson.apply(value).toBuffer(), wire -> fromJson.apply(new JsonObject(wire)));
  }

  /** Registers the codec as the default for its type, once per Vert.x instance however many nodes share it. */
  public void registerOn(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(type, this);
    } catch (IllegalStateException alreadyRegistered) {
      // Another node of this Vert.x instance registered it: the codec is stateless, theirs serves us too.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    Buffer wire = toWire.apply(value);
    buffer.appendInt(wire.length()).appendBuffer(wire);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromWire.apply(buffer.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "peermesh." + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
