package org.peermesh.mesh.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON that no one can change: objects and arrays over unmodifiable maps and lists, all the way down. A message
 * received from a peer is frozen once and then handed to every consumer in the JVM as it is, where Vert.x would
 * copy a JsonObject for each; a consumer that wants to change it takes a {@code copy()}, which is mutable.
 */
public final class FrozenJson {

  private FrozenJson() {
  }

  /** An object whose map, and every object and array within, refuses changes. */
  public static JsonObject object(Map<String, Object> fields) {
    Map<String, Object> frozen = new LinkedHashMap<>(fields.size() * 2);
    fields.forEach((key, value) -> frozen.put(key, value(value)));
    return new JsonObject(Collections.unmodifiableMap(frozen));
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
      return array(list);
    }
    return value;
  }

  private static JsonArray array(List<?> items) {
    List<Object> frozen = new ArrayList<>(items.size());
    items.forEach(item -> frozen.add(value(item)));
    return new JsonArray(Collections.unmodifiableList(frozen));
  }
}
