package org.peermesh.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Fills {@link Configurable} options classes from JSON config sections, strictly, and turns them back into JSON.
 *
 * <p>A key is a field of the options class (its superclasses' included), declared once with its default; jackson
 * converts each value to the field's type with no coercion (no {@code "5"} for 5, no {@code 5.0} for 5, no null for
 * a number). A field whose type is itself {@link Configurable} is a nested section: an object, or {@code false} to
 * leave it out, or {@code true} for its defaults. Reading does not stop at the first mistake: every unknown key (with
 * the nearest known one suggested), every value of the wrong type and every broken rule is reported in one
 * {@link ConfigException}.
 */
public final class ConfigBinder {

  private static final int MAX_SUGGESTION_DISTANCE = 2;
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .visibility(PropertyAccessor.ALL, Visibility.NONE)
      .visibility(PropertyAccessor.FIELD, Visibility.ANY)
      .visibility(PropertyAccessor.CREATOR, Visibility.ANY)
      .withCoercionConfig(LogicalType.Textual, config -> config
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .addModule(new SimpleModule("vertx-json")
          .addSerializer(JsonObject.class, new JsonSerializer<>() {
            @Override
            public void serialize(JsonObject value, JsonGenerator gen, SerializerProvider provider) throws IOException {
              gen.writeObject(value.getMap());
            }
          })
          .addDeserializer(JsonObject.class, new JsonDeserializer<>() {
            @Override
            public JsonObject deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
              if (!p.isExpectedStartObjectToken()) {
                return (JsonObject) ctxt.handleUnexpectedToken(JsonObject.class, p);
              }
              // The context's reader, not the parser's: a nested read must not check for trailing tokens.
              @SuppressWarnings("unchecked")
              Map<String, Object> map = ctxt.readValue(p, LinkedHashMap.class);
              return new JsonObject(map);
            }
          }))
      .build();

  private ConfigBinder() {
  }

  /**
   * Parses a whole configuration text, which must be one JSON object. Comments are allowed; duplicate keys are
   * refused (a plain decode silently keeps the last).
   *
   * @throws ConfigException naming the problem and, for a syntax error, its line and column
   */
  public static JsonObject parse(String text) {
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      throw new ConfigException(List.of("empty, expected a JSON object"));
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new ConfigException(List.of("invalid JSON: " + cleanJacksonMessage(e.getOriginalMessage(), e)));
    }
    if (!tree.isObject()) {
      throw new ConfigException(List.of("expected a JSON object at top level, got " + kind(tree)));
    }
    return new JsonObject(MAPPER.convertValue(tree, LinkedHashMap.class));
  }

  /**
   * Fills {@code target} from {@code json} (absent keys keep the target's values) and checks it.
   *
   * @throws ConfigException with every problem found
   */
  public static <T extends Configurable> T bind(JsonObject json, T target) {
    List<String> problems = new ArrayList<>();
    bind(json, target, "", List.of(), problems);
    check(target, "", problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return target;
  }

  /**
   * Fills {@code target} from the keys of {@code json} at {@code path}, reporting problems into {@code problems};
   * keys in {@code readElsewhere} belong to the caller and are neither bound nor unknown.
   */
  public static void bind(JsonObject json, Object target, String path, Collection<String> readElsewhere,
                          List<String> problems) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json.encode());
    } catch (EncodeException | JacksonException e) {
      problems.add("config key '" + (path.isEmpty() ? "(root)" : path) + "': not JSON: " + e.getMessage());
      return;
    }
    bindObject((ObjectNode) tree, target, path, readElsewhere, problems);
  }

  /** Runs the checks of {@code options} and of every nested section in it. */
  public static void check(Configurable options, String path, List<String> problems) {
    options.check(new Checks(path, problems));
    for (Field field : fieldsOf(options.getClass()).values()) {
      if (Configurable.class.isAssignableFrom(field.getType())) {
        Configurable nested = (Configurable) get(field, options);
        if (nested != null) {
          check(nested, join(path, field.getName()), problems);
        }
      }
    }
  }

  /** The keys of an options class. */
  public static Set<String> keys(Class<?> optionsType) {
    return Collections.unmodifiableSet(fieldsOf(optionsType).keySet());
  }

  /** The options as JSON, every key with its value; null values are left out. */
  public static JsonObject toJson(Object options) {
    return new JsonObject(MAPPER.convertValue(options, LinkedHashMap.class));
  }

  /** A deep copy, made through JSON, so a copy shares nothing mutable with its original. */
  public static <T> T copy(T options) {
    @SuppressWarnings("unchecked")
    T copy = (T) MAPPER.convertValue(MAPPER.valueToTree(options), options.getClass());
    return copy;
  }

  // ----------------------------------------------------------------------------------------------------- binding

  private static void bindObject(ObjectNode json, Object target, String path, Collection<String> readElsewhere,
                                 List<String> problems) {
    Map<String, Field> fields = fieldsOf(target.getClass());
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      Field field = fields.get(key);
      if (field == null) {
        if (!readElsewhere.contains(key)) {
          List<String> known = new ArrayList<>(fields.keySet());
          known.addAll(readElsewhere);
          problems.add(unknownKey(join(path, key), key, known));
        }
        continue;
      }
      String keyPath = join(path, key);
      if (Configurable.class.isAssignableFrom(field.getType())) {
        bindSection(field, target, value, keyPath, problems);
      } else {
        bindValue(field, target, value, keyPath, problems);
      }
    }
  }

  /**
   * A nested section: an object fills it, {@code false} leaves it out, {@code true} gives its defaults, and null is
   * the key left out (the section keeps its default), as null is for every optional key.
   */
  private static void bindSection(Field field, Object target, JsonNode value, String keyPath, List<String> problems) {
    Object current = get(field, target);
    if (value.isNull()) {
      return;
    }
    if (value.isBoolean()) {
      set(field, target, value.booleanValue() ? (current != null ? current : newInstance(field.getType())) : null);
    } else if (value.isObject()) {
      Object section = current != null ? current : newInstance(field.getType());
      bindObject((ObjectNode) value, section, keyPath, List.of(), problems);
      set(field, target, section);
    } else {
      problems.add(Checks.message(keyPath, "an object (or false to leave the section out)", MAPPER.convertValue(value,
          Object.class)));
    }
  }

  private static void bindValue(Field field, Object target, JsonNode value, String keyPath, List<String> problems) {
    JavaType type = MAPPER.constructType(field.getGenericType());
    if (type.isCollectionLikeType() && value.isArray()) {
      // Element by element, so that every wrong element is reported, not the first one only.
      int before = problems.size();
      List<Object> elements = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        elements.add(convert(type.getContentType(), value.get(i), keyPath + "[" + i + "]", problems));
      }
      if (problems.size() == before) {
        set(field, target, List.copyOf(elements));
      }
      return;
    }
    int before = problems.size();
    Object converted = convert(type, value, keyPath, problems);
    if (problems.size() == before) {
      set(field, target, converted);
    }
  }

  /** {@code value} as {@code type}, or null with the problem reported. */
  private static Object convert(JavaType type, JsonNode value, String keyPath, List<String> problems) {
    try {
      return MAPPER.readerFor(type).readValue(value);
    } catch (UnrecognizedPropertyException e) {
      String inner = join(keyPath, pathOf(e));
      Collection<Object> known = e.getKnownPropertyIds() == null ? List.of() : e.getKnownPropertyIds();
      problems.add(unknownKey(inner, e.getPropertyName(), known.stream().map(String::valueOf).toList()));
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      problems.add("config key '" + join(keyPath, pathOf(e)) + "': " + cause.getMessage());
    } catch (MismatchedInputException e) {
      String inner = join(keyPath, pathOf(e));
      if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Missing required creator property")) {
        String missing = e.getOriginalMessage().replaceAll(".*'([^']*)'.*", "$1");
        problems.add("config key '" + join(inner, missing) + "' is missing");
      } else {
        JsonNode found = locate(value, e);
        problems.add(Checks.message(inner, expected(e.getTargetType()),
            found == null || e instanceof InvalidNullException ? null : MAPPER.convertValue(found, Object.class)));
      }
    } catch (JacksonException e) {
      problems.add(Checks.message(keyPath, expected(type.getRawClass()), MAPPER.convertValue(value, Object.class)));
    } catch (IOException e) {
      problems.add("config key '" + keyPath + "': " + e.getMessage());
    }
    return null;
  }

  /** What a value of {@code type} looks like, in the words of the messages. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "a value of another type";
    }
    if (type == int.class || type == Integer.class) {
      return "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    }
    if (type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == JsonObject.class || Map.class.isAssignableFrom(type)) {
      return "a JSON object";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray() || type == JsonArray.class) {
      return "an array";
    }
    if (type.isRecord()) {
      StringBuilder shape = new StringBuilder("an object {");
      var components = type.getRecordComponents();
      for (int i = 0; i < components.length; i++) {
        shape.append(i == 0 ? "" : ", ").append('"').append(components[i].getName()).append("\": ")
            .append(components[i].getType() == String.class ? "string" : "integer");
      }
      return shape.append('}').toString();
    }
    return "an object";
  }

  /** The node inside {@code root} where the exception points, or null. */
  private static JsonNode locate(JsonNode root, JsonMappingException e) {
    JsonNode node = root;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (node == null) {
        return null;
      }
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    }
    return node;
  }

  /** The exception's path inside a value: {@code [2].port}. */
  private static String pathOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String join(String path, String key) {
    if (key.isEmpty()) {
      return path;
    }
    if (path.isEmpty()) {
      return key;
    }
    return key.startsWith("[") ? path + key : path + "." + key;
  }

  private static String unknownKey(String fullPath, String key, Collection<String> known) {
    String suggestion = closest(key, known);
    return "unknown config key '" + fullPath + "'"
        + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)");
  }

  /** The known key nearest to {@code key} within {@value #MAX_SUGGESTION_DISTANCE} edits, ignoring case; or null. */
  static String closest(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = key.toLowerCase(Locale.ROOT);
    for (String candidate : known) {
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d <= MAX_SUGGESTION_DISTANCE && d < Math.max(key.length(), 1) && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }

  // -------------------------------------------------------------------------------------------------- reflection

  /** The keys of an options class: its fields and its superclasses', in declaration order, less static and ignored. */
  private static Map<String, Field> fieldsOf(Class<?> type) {
    Map<String, Field> fields = new LinkedHashMap<>();
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      chain.add(0, c);
    }
    for (Class<?> c : chain) {
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()
            && !field.isAnnotationPresent(JsonIgnore.class)) {
          field.setAccessible(true);
          fields.put(field.getName(), field);
        }
      }
    }
    return fields;
  }

  private static Object get(Field field, Object target) {
    try {
      return field.get(target);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void set(Field field, Object target, Object value) {
    try {
      field.set(target, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object newInstance(Class<?> type) {
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("options class " + type.getName() + " needs a constructor without arguments", e);
    }
  }

  private static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** Jackson's message without its "[Source: ...]" (which names no file of ours), and the line and column. */
  private static String cleanJacksonMessage(String message, JacksonException e) {
    String text = Objects.requireNonNullElse(message, "unreadable").replaceAll("\\s+", " ").trim();
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      text += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
    return text;
  }
}
