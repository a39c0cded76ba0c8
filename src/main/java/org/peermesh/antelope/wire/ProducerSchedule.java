package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.peermesh.json.JsonFields;

/**
 * A legacy producer schedule ({@code new_producers} of a block header before Spring's finality): its version and
 * producers. JSON: {@code {"version": n, "producers": [ProducerKey, ...]}}.
 *
 * @param version u32
 */
public record ProducerSchedule(long version, List<ProducerKey> producers) {

  public ProducerSchedule {
    FcRange.u32("version", version);
    producers = List.copyOf(producers);
  }

  public static ProducerSchedule decode(FcReader in) {
    return new ProducerSchedule(in.u32("schedule version"),
        in.vector("producers", ProducerKey.MIN_ENCODED_SIZE, ProducerKey::decode));
  }

  static ProducerSchedule fromJson(JsonFields in) {
    return new ProducerSchedule(in.u32("version"), in.objects("producers", ProducerKey::fromJson));
  }

  public void encode(FcWriter out) {
    out.u32(version).vector(producers, (writer, producer) -> producer.encode(writer));
  }

  public JsonObject toJson() {
    return new JsonObject().put("version", version)
        .put("producers", JsonFields.arrayOf(producers, ProducerKey::toJson));
  }
}
