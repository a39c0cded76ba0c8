package org.peermesh.mesh.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * JSON that no one can change: objects and arrays over unmodifiable maps and lists, all the way down. A message
 * received from a peer is frozen once and then handed to every consumer in the JVM as it is, where Vert.x would
 * copy a JsonObject for each; a consumer that wants to change it takes a {@code copy()}, which is mutable.
 *
 * <p>It takes what it is given as its own: a value just decoded, which nothing else holds, is frozen in place, each
 * map and list wrapped rather than copied, so freezing a large message costs its wrappers, not a second copy of it.
 */
public final class FrozenJson {

  private FrozenJson() {
  }

  /** The value with every object and array within frozen; strings, numbers, booleans and null as they are. */
  public static Object value(Object value) {
    if (value instanceof JsonObject object) {
      return object(object.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return object(fields);
    }
    if (value instanceof JsonArray array) {
      return array(array.getList());
    }
    if (value instanceof List<?> list) {
      @SuppressWarnings("unchecked")
      List<Object> items = (List<Object>) list;
      return array(items);
    }
    return value;
  }

  private static JsonObject object(Map<String, Object> fields) {
    fields.replaceAll((key, field) -> value(field));
    return new JsonObject(Collections.unmodifiableMap(fields));
  }

  private static JsonArray array(List<Object> items) {
    items.replaceAll(FrozenJson::value);
    return new JsonArray(Collections.unmodifiableList(items));
  }
}
