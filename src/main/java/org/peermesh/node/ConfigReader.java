package org.peermesh.node;

import org.peermesh.peer.PeerAddress;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict reading of typed values from a configuration {@link JsonObject}.
 * <p>
 * Every {@code read*} call names the key it consumes; keys present in the object but never read are reported by
 * {@link #finish()} as unknown, with the closest known key suggested. Problems are collected rather than thrown one
 * at a time, so one run reports every mistake in a file; {@link #finish()} throws them all in one
 * {@link IllegalArgumentException}. A {@code read*} call that finds a problem returns its fallback so reading can go on.
 * <p>
 * The value rules ({@link IntRule}, {@link StringRule}) are also what setters use, so a value refused in a file and the
 * same value refused by a setter get the same message: {@code config key 'port': expected an integer from 0 to 65535,
 * got 70000}.
 */
final class ConfigReader {

  private static final int MAX_SUGGESTION_DISTANCE = 2;
  private static final int MAX_RENDERED_VALUE = 60;
  private static final String PEER_OBJECT = "{\"host\": string, \"port\": integer}";

  private final JsonObject json;
  private final String prefix;
  private final List<String> problems;
  /** Every key a read asked for, present or not, in reading order: the keys that are not unknown. */
  private final Set<String> known = new LinkedHashSet<>();

  ConfigReader(JsonObject json) {
    this(json, "", new ArrayList<>());
  }

  private ConfigReader(JsonObject json, String prefix, List<String> problems) {
    this.json = Objects.requireNonNull(json, "json");
    this.prefix = prefix;
    this.problems = problems;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rules

  /** The allowed range of an integer value; it describes itself for messages. */
  static final class IntRule {
    private final int min;
    private final int max;

    private IntRule(int min, int max) {
      this.min = min;
      this.max = max;
    }

    static IntRule between(int min, int max) {
      return new IntRule(min, max);
    }

    static IntRule atLeast(int min) {
      return new IntRule(min, Integer.MAX_VALUE);
    }

    String expected() {
      return max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
    }

    /** Returns {@code value}, or throws the standard message for {@code key}. */
    int check(String key, int value) {
      if (value < min || value > max) {
        throw invalid(key, expected(), value);
      }
      return value;
    }

    /** Null when {@code raw} is an integral JSON number in range, else the standard message. */
    private String problem(String key, Object raw) {
      Integer value = toInt(raw);
      if (value == null || value < min || value > max) {
        return message(key, expected(), raw);
      }
      return null;
    }
  }

  /** A constraint on a string value, with the words that describe it in messages. */
  static final class StringRule {
    private final String expected;
    private final Predicate<String> test;

    private StringRule(String expected, Predicate<String> test) {
      this.expected = expected;
      this.test = test;
    }

    static StringRule of(String expected, Predicate<String> test) {
      return new StringRule(expected, test);
    }

    String expected() {
      return expected;
    }

    /** Returns {@code value}, or throws the standard message for {@code key} (also when it is null). */
    String check(String key, String value) {
      String problem = problem(key, value);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      return value;
    }

    private String problem(String key, Object raw) {
      if (raw instanceof CharSequence && test.test(raw.toString())) {
        return null;
      }
      return message(key, expected, raw);
    }
  }

  /** {@code config key 'KEY': expected EXPECTED, got RENDERED}. */
  static IllegalArgumentException invalid(String key, String expected, Object got) {
    return new IllegalArgumentException(message(key, expected, got));
  }

  static String message(String key, String expected, Object got) {
    return "config key '" + key + "': expected " + expected + ", got " + render(got);
  }

  /**
   * A deep copy of a JSON object value, refusing values JSON cannot hold (possible only in objects built in code).
   */
  static JsonObject copyObject(String key, Object raw) {
    if (raw instanceof JsonObject object) {
      try {
        return object.copy();
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException("config key '" + key + "': expected a JSON object of JSON values only, got "
          + e.getMessage());
      }
    }
    throw invalid(key, "a JSON object", raw);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reads

  /** The integer at {@code key}; {@code fallback} when absent or wrong. */
  int readInt(String key, int fallback, IntRule rule) {
    if (!take(key)) {
      return fallback;
    }
    Object raw = json.getValue(key);
    return report(rule.problem(path(key), raw)) ? fallback : toInt(raw);
  }

  /** The boolean at {@code key}; {@code fallback} when absent or wrong (only JSON true and false are booleans). */
  boolean readBoolean(String key, boolean fallback) {
    if (!take(key)) {
      return fallback;
    }
    Object raw = json.getValue(key);
    if (raw instanceof Boolean value) {
      return value;
    }
    report(message(path(key), "true or false", raw));
    return fallback;
  }

  /** The string at {@code key}; {@code fallback} when absent or wrong (JSON {@code null} is wrong). */
  String readString(String key, String fallback, StringRule rule) {
    if (!take(key)) {
      return fallback;
    }
    Object raw = json.getValue(key);
    return report(rule.problem(path(key), raw)) ? fallback : raw.toString();
  }

  /** An optional string: null when absent, JSON {@code null} or wrong. */
  String readOptionalString(String key, StringRule rule) {
    if (!take(key) || json.getValue(key) == null) {
      return null;
    }
    return readString(key, null, rule);
  }

  /** An array of strings, each checked by {@code elementRule}; the wrong elements are left out. */
  List<String> readStringList(String key, List<String> fallback, StringRule elementRule) {
    JsonArray array = readArray(key, "an array of strings");
    if (array == null) {
      return fallback;
    }
    List<String> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object raw = array.getValue(i);
      if (!report(elementRule.problem(path(key) + "[" + i + "]", raw))) {
        result.add(raw.toString());
      }
    }
    return List.copyOf(result);
  }

  /** An array of {@code {"host", "port"}} objects; the wrong elements are left out. */
  List<PeerAddress> readPeerList(String key, List<PeerAddress> fallback, StringRule hostRule, IntRule portRule) {
    JsonArray array = readArray(key, "an array of " + PEER_OBJECT + " objects");
    if (array == null) {
      return fallback;
    }
    List<PeerAddress> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      PeerAddress peer = peer(path(key) + "[" + i + "]", array.getValue(i), hostRule, portRule);
      if (peer != null) {
        result.add(peer);
      }
    }
    return List.copyOf(result);
  }

  /** An optional {@code {"host", "port"}} object; null when absent, JSON {@code null} or wrong. */
  PeerAddress readOptionalPeer(String key, StringRule hostRule, IntRule portRule) {
    if (!take(key) || json.getValue(key) == null) {
      return null;
    }
    return peer(path(key), json.getValue(key), hostRule, portRule);
  }

  /** A copy of the JSON object at {@code key}; {@code fallback} when absent or wrong. */
  JsonObject readObject(String key, JsonObject fallback) {
    if (!take(key)) {
      return fallback;
    }
    try {
      return copyObject(path(key), json.getValue(key));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return fallback;
    }
  }

  /**
   * A reader of the object at {@code key}, whose problems are reported with the key's path; null when the key is
   * absent, JSON {@code null} or not an object. Call {@link #finishSection()} once its keys are read.
   */
  ConfigReader readSection(String key) {
    if (!take(key) || json.getValue(key) == null) {
      return null;
    }
    if (!(json.getValue(key) instanceof JsonObject object)) {
      problems.add(message(path(key), "an object", json.getValue(key)));
      return null;
    }
    return new ConfigReader(object, path(key), problems);
  }

  /** Reports the keys of a section that no read asked for, with the problems of the whole configuration. */
  void finishSection() {
    problems.addAll(unknownKeys());
  }

  /** Throws every problem found, unknown keys first, in one exception; returns normally when there is none. */
  void finish() {
    List<String> all = unknownKeys();
    all.addAll(problems);
    if (!all.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", all));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Parsing

  private static final Pattern JACKSON_LOCATION =
    Pattern.compile("\\s*\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]");

  /**
   * Parses a whole configuration text, which must be one JSON object. Duplicate keys are refused (a plain Vert.x
   * decode silently keeps the last). Comments are accepted, as by Vert.x's own decoder.
   *
   * @throws IllegalArgumentException naming the problem and, for a syntax error, its line and column
   */
  static JsonObject parseObject(String text) {
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      throw new IllegalArgumentException("empty, expected a JSON object");
    }
    Object value;
    try (JsonParser parser = JacksonCodec.createParser(text)) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("invalid JSON: " + cleanJacksonMessage(e.getMessage()), e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException("expected a JSON object at top level, got " + kind(value));
    }
    return object;
  }

  /** Jackson's "at [Source: REDACTED (...); line: 3, column: 5]" becomes "at line 3, column 5". */
  private static String cleanJacksonMessage(String message) {
    if (message == null) {
      return "unreadable";
    }
    Matcher m = JACKSON_LOCATION.matcher(message.replace("\n", " "));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(" line " + m.group(1) + ", column " + m.group(2)));
    }
    m.appendTail(out);
    return out.toString().replaceAll("\\s+", " ").trim();
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof CharSequence) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return value.getClass().getSimpleName();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internals

  /** Marks {@code key} known; true when the object holds it. */
  private boolean take(String key) {
    known.add(key);
    return json.containsKey(key);
  }

  private String path(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** Records a non-null problem; true when there was one. */
  boolean report(String problem) {
    if (problem != null) {
      problems.add(problem);
      return true;
    }
    return false;
  }

  private JsonArray readArray(String key, String expected) {
    if (!take(key)) {
      return null;
    }
    Object raw = json.getValue(key);
    if (raw instanceof JsonArray array) {
      return array;
    }
    problems.add(message(path(key), expected, raw));
    return null;
  }

  /** Reads one {@code {"host", "port"}} entry at {@code entryPath}, both required; null (and reported) when wrong. */
  private PeerAddress peer(String entryPath, Object raw, StringRule hostRule, IntRule portRule) {
    if (!(raw instanceof JsonObject object)) {
      problems.add(message(entryPath, "an object " + PEER_OBJECT, raw));
      return null;
    }
    ConfigReader entry = new ConfigReader(object, entryPath, problems);
    int before = problems.size();
    entry.known.add("host");
    entry.known.add("port");
    problems.addAll(entry.unknownKeys());
    String host = entry.required("host", hostRule.expected())
      ? entry.readString("host", null, hostRule) : null;
    int port = entry.required("port", portRule.expected())
      ? entry.readInt("port", -1, portRule) : -1;
    return problems.size() == before ? new PeerAddress(host, port) : null;
  }

  /** Reports a missing required key; true when present. */
  boolean required(String key, String expected) {
    if (json.containsKey(key)) {
      return true;
    }
    known.add(key);
    problems.add("config key '" + path(key) + "' is missing: expected " + expected);
    return false;
  }

  private List<String> unknownKeys() {
    List<String> result = new ArrayList<>();
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        String suggestion = closestKnown(key);
        result.add("unknown config key '" + path(key) + "'"
          + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
      }
    }
    return result;
  }

  /** The known key nearest to {@code key} within {@value #MAX_SUGGESTION_DISTANCE} edits, ignoring case; or null. */
  private String closestKnown(String key) {
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

  /**
   * The int value of an integral JSON number, or null for anything else: other types, numbers written with a fraction
   * or exponent (decoded as floating point; {@code 5.0} is refused like {@code 1.5}), and integers outside the int range.
   */
  private static Integer toInt(Object raw) {
    if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
      return ((Number) raw).intValue();
    }
    if (raw instanceof Long l) {
      return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (int) (long) l : null;
    }
    if (raw instanceof BigInteger b) {
      return b.bitLength() < 32 ? b.intValue() : null;
    }
    return null;
  }

  /** A value as it would appear in JSON (strings quoted), shortened when long. */
  private static String render(Object value) {
    String text;
    try {
      text = value instanceof CharSequence ? Json.encode(value.toString()) : Json.encode(value);
    } catch (RuntimeException e) {
      text = "<" + value.getClass().getName() + ">";
    }
    if (text.length() > MAX_RENDERED_VALUE) {
      text = text.substring(0, MAX_RENDERED_VALUE - 3) + "...";
    }
    return text;
  }
}
