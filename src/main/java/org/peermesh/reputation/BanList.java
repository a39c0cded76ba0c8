package org.peermesh.reputation;

import org.peermesh.storage.OwnerOnlyFiles;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The node's bans, kept in a file so that a restart does not lift them.
 *
 * <p>A ban's key is a literal IP address, or {@code peer:<peerId>} for a peer on a local address that shares its IP
 * with others. A ban is in force until its {@code until} instant: from then on {@link #isBanned} is false, and
 * {@link #expire} removes it and hands it to the caller, which publishes the unban.
 *
 * <p>The file is JSON: {@code {"version":1, "bans":[{"key", "peerId", "reason", "bannedAt", "until"}]}}, times in
 * epoch milliseconds. Every change is saved before it becomes visible, through a temporary file renamed into place,
 * so the file is never half-written and never disagrees with what {@link #isBanned} answered. Saving is blocking
 * file I/O; bans are rare enough that a caller on an event loop may accept it.
 *
 * <p>Thread-safe: changes are serialised; reads see the latest saved state without locking.
 */
public final class BanList {

  private static final Logger LOG = LoggerFactory.getLogger(BanList.class);

  private static final int VERSION = 1;

  private final Path file;
  private final Clock clock;
  /** Replaced whole, never modified, so that readers need no lock. */
  private volatile Map<String, Ban> bans;

  /** An empty ban list that saves to {@code file}, replacing what it holds at the first change. */
  public BanList(Path file, Clock clock) {
    this(file, clock, Map.of());
  }

  private BanList(Path file, Clock clock, Map<String, Ban> bans) {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.bans = bans;
  }

  /**
   * The bans saved in {@code file}, less those already expired; an empty list if the file does not exist. Nothing
   * is written until the first change.
   *
   * @throws IllegalArgumentException if the file is not a valid ban list
   * @throws UncheckedIOException if the file cannot be read
   */
  public static BanList load(Path file, Clock clock) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException absent) {
      return new BanList(file, clock);
    } catch (CharacterCodingException e) {
      throw malformed(file, "not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ban list " + file, e);
    }
    long now = clock.millis();
    Map<String, Ban> loaded = new LinkedHashMap<>();
    for (Ban ban : parse(file, content)) {
      if (loaded.containsKey(ban.key())) {
        throw malformed(file, "key " + ban.key() + " is banned twice");
      }
      loaded.put(ban.key(), ban);
    }
    loaded.values().removeIf(ban -> !ban.inForceAt(now));
    return new BanList(file, clock, Collections.unmodifiableMap(loaded));
  }

  /**
   * Bans {@code key} for {@code durationMs} from now. If it is banned already the ban keeps its start and the later
   * of the two ends, and takes the new reason (and the new peer id, if one is given).
   *
   * @param peerId the banned peer's id if known, else null
   * @return the ban now in force
   * @throws UncheckedIOException if the list cannot be saved; the ban is then not in force
   */
  public synchronized Ban ban(String key, String peerId, String reason, long durationMs) {
    if (durationMs <= 0) {
      throw new IllegalArgumentException("ban duration must be positive, was " + durationMs);
    }
    long now = clock.millis();
    long until = saturatedAdd(now, durationMs);
    Ban previous = bans.get(key);
    Ban ban = previous == null || !previous.inForceAt(now)
        ? new Ban(key, peerId, reason, now, until)
        : new Ban(key, peerId == null ? previous.peerId() : peerId, reason, previous.bannedAt(),
            Math.max(previous.until(), until));
    Map<String, Ban> next = new LinkedHashMap<>(bans);
    next.put(key, ban);
    replace(next);
    return ban;
  }

  /** Whether a ban on {@code key} is in force. */
  public boolean isBanned(String key) {
    return get(key).isPresent();
  }

  /** The ban on {@code key}, if one is in force. */
  public Optional<Ban> get(String key) {
    Ban ban = bans.get(key);
    return ban != null && ban.inForceAt(clock.millis()) ? Optional.of(ban) : Optional.empty();
  }

  /** The bans in force. */
  public List<Ban> bans() {
    long now = clock.millis();
    return bans.values().stream().filter(ban -> ban.inForceAt(now)).toList();
  }

  /**
   * Removes the bans whose end has come and returns them, for the caller to publish their unbanning.
   *
   * @throws UncheckedIOException if the list cannot be saved; the bans are then kept, to be expired later
   */
  public synchronized List<Ban> expire() {
    long now = clock.millis();
    List<Ban> expired = bans.values().stream().filter(ban -> !ban.inForceAt(now)).toList();
    if (!expired.isEmpty()) {
      Map<String, Ban> next = new LinkedHashMap<>(bans);
      expired.forEach(ban -> next.remove(ban.key()));
      replace(next);
    }
    return expired;
  }

  /**
   * Lifts the ban on {@code key}.
   *
   * @return the removed ban, even if its end had come but it was not expired yet; empty if there was none
   * @throws UncheckedIOException if the list cannot be saved; the ban then stays
   */
  public synchronized Optional<Ban> unban(String key) {
    Ban removed = bans.get(key);
    if (removed != null) {
      Map<String, Ban> next = new LinkedHashMap<>(bans);
      next.remove(key);
      replace(next);
    }
    return Optional.ofNullable(removed);
  }

  /** Saves {@code next}, then makes it visible: a failed save leaves both the file and the list as they were. */
  private void replace(Map<String, Ban> next) {
    save(next.values());
    bans = Collections.unmodifiableMap(next);
  }

  private void save(Iterable<Ban> content) {
    JsonArray array = new JsonArray();
    content.forEach(ban -> array.add(ban.toJson()));
    byte[] bytes = new JsonObject().put("version", VERSION).put("bans", array).encodePrettily()
        .concat("\n").getBytes(StandardCharsets.UTF_8);
    try {
      // Owner-only: the list names the addresses and ids of peers, which is nobody else's business.
      OwnerOnlyFiles.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save ban list " + file, e);
    }
  }

  private static List<Ban> parse(Path file, String content) {
    JsonObject root;
    try {
      root = new JsonObject(content);
    } catch (DecodeException e) {
      throw malformed(file, "not a JSON object");
    }
    Object version = root.getValue("version");
    if (!Integer.valueOf(VERSION).equals(version)) {
      throw malformed(file, "version must be " + VERSION + ", was " + version);
    }
    if (!(root.getValue("bans") instanceof JsonArray array)) {
      throw malformed(file, "\"bans\" must be an array");
    }
    List<Ban> parsed = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject entry)) {
        throw malformed(file, "bans[" + i + "] is not an object");
      }
      parsed.add(parseBan(file, "bans[" + i + "]", entry));
    }
    return parsed;
  }

  private static Ban parseBan(Path file, String where, JsonObject entry) {
    String key = string(file, where, entry, "key", false);
    String peerId = string(file, where, entry, "peerId", true);
    String reason = string(file, where, entry, "reason", false);
    long bannedAt = integer(file, where, entry, "bannedAt");
    long until = integer(file, where, entry, "until");
    try {
      return new Ban(key, peerId, reason, bannedAt, until);
    } catch (IllegalArgumentException e) {
      throw malformed(file, where + ": " + e.getMessage());
    }
  }

  private static String string(Path file, String where, JsonObject entry, String field, boolean nullable) {
    Object value = entry.getValue(field);
    if (value instanceof String text) {
      return text;
    }
    if (value == null && nullable) {
      return null;
    }
    throw malformed(file, where + "." + field + " must be a string" + (nullable ? " or null" : ""));
  }

  private static long integer(Path file, String where, JsonObject entry, String field) {
    Object value = entry.getValue(field);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw malformed(file, where + "." + field + " must be an integer (epoch milliseconds)");
  }

  private static IllegalArgumentException malformed(Path file, String problem) {
    return new IllegalArgumentException("ban list " + file + " is malformed: " + problem);
  }

  private static long saturatedAdd(long a, long b) {
    // b is positive, so only a wrap past Long.MAX_VALUE can make the sum smaller: a huge duration means forever.
    long sum = a + b;
    return sum < a ? Long.MAX_VALUE : sum;
  }

  /**
   * One ban.
   *
   * @param key      a literal IP address, or {@code peer:<peerId>}
   * @param peerId   the banned peer's id, or null if it was not known
   * @param reason   why, for the operator
   * @param bannedAt when the ban started, in epoch milliseconds
   * @param until    when it ends, in epoch milliseconds (exclusive)
   */
  public record Ban(String key, String peerId, String reason, long bannedAt, long until) {

    public Ban {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
      if (key.isBlank()) {
        throw new IllegalArgumentException("ban key is blank");
      }
      if (until < bannedAt) {
        throw new IllegalArgumentException("ban ends (" + until + ") before it starts (" + bannedAt + ")");
      }
    }

    public boolean inForceAt(long epochMillis) {
      return epochMillis < until;
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("key", key)
          .put("peerId", peerId)
          .put("reason", reason)
          .put("bannedAt", bannedAt)
          .put("until", until);
    }
  }
}
