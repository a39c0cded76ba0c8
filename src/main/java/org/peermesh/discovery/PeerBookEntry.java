package org.peermesh.discovery;

import io.vertx.core.json.JsonObject;
import org.peermesh.net.NetGroups;
import org.peermesh.net.PeerAddress;

import java.util.Objects;

/**
 * What the peer book knows of one address. Times are epoch milliseconds.
 *
 * @param address     the address, its host in {@link NetGroups#canonicalHost canonical} form
 * @param sourceHost  the host that told us of the address (the address's own host if it came to us or was added as
 *                    tried); it places the address in the new table, also when it drops back there from tried
 * @param addedAt     when the address entered the book
 * @param lastSeen    when the address was last heard of or connected to
 * @param lastSuccess when we last connected to it; 0 if never
 * @param failures    failed connection attempts since the last success, counted only while in the tried table
 * @param advertise   whether the address may be passed on in answers to getPeers
 * @param peerId      the peer's id once connected; null before
 */
record PeerBookEntry(PeerAddress address, String sourceHost, long addedAt, long lastSeen, long lastSuccess,
                     int failures, boolean advertise, String peerId) {

  PeerBookEntry {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(sourceHost, "sourceHost");
    if (addedAt < 0 || lastSeen < 0 || lastSuccess < 0) {
      throw new IllegalArgumentException("times must not be negative");
    }
    if (failures < 0) {
      throw new IllegalArgumentException("failures must not be negative, got " + failures);
    }
  }

  static PeerBookEntry heardOf(PeerAddress address, String sourceHost, long now) {
    return new PeerBookEntry(address, sourceHost, now, now, 0, 0, true, null);
  }

  PeerBookEntry seen(long now) {
    return new PeerBookEntry(address, sourceHost, addedAt, Math.max(lastSeen, now), lastSuccess, failures,
        advertise, peerId);
  }

  /** The entry after a connection; a null {@code newPeerId} (not known) keeps the id known before. */
  PeerBookEntry connected(long now, String newPeerId, boolean newAdvertise) {
    return new PeerBookEntry(address, sourceHost, addedAt, now, now, 0, newAdvertise,
        newPeerId != null ? newPeerId : peerId);
  }

  PeerBookEntry failed() {
    return new PeerBookEntry(address, sourceHost, addedAt, lastSeen, lastSuccess, failures + 1, advertise, peerId);
  }

  /** The entry as it drops back to the new table, where failures are not counted: one more failure removes it. */
  PeerBookEntry demoted() {
    return new PeerBookEntry(address, sourceHost, addedAt, lastSeen, lastSuccess, 0, advertise, peerId);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("host", address.host())
        .put("port", address.port())
        .put("source", sourceHost)
        .put("addedAt", addedAt)
        .put("lastSeen", lastSeen)
        .put("lastSuccess", lastSuccess)
        .put("failures", failures)
        .put("advertise", advertise)
        .put("peerId", peerId);
  }

  /**
   * Reads an entry written by {@link #toJson}, canonicalizing its hosts.
   *
   * @param where how the error messages name the entry, e.g. {@code new[3]}
   * @throws IllegalArgumentException naming the field that is missing, of the wrong type or out of range
   */
  static PeerBookEntry fromJson(Object json, String where) {
    if (!(json instanceof JsonObject entry)) {
      throw new IllegalArgumentException(where + " is not an object");
    }
    String host = NetGroups.canonicalHost(requiredString(entry, "host", where));
    long port = requiredLong(entry, "port", where);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(where + ".port must be within 1-65535, got " + port);
    }
    String source = NetGroups.canonicalHost(requiredString(entry, "source", where));
    long addedAt = nonNegative(entry, "addedAt", where);
    long lastSeen = nonNegative(entry, "lastSeen", where);
    long lastSuccess = nonNegative(entry, "lastSuccess", where);
    long failures = nonNegative(entry, "failures", where);
    if (failures >= PeerBook.MAX_TRIED_FAILURES) {
      throw new IllegalArgumentException(where + ".failures must be below " + PeerBook.MAX_TRIED_FAILURES
          + ", got " + failures);
    }
    if (!(entry.getValue("advertise") instanceof Boolean advertise)) {
      throw new IllegalArgumentException(where + ".advertise must be true or false");
    }
    Object peerId = entry.getValue("peerId");
    if (peerId != null && !(peerId instanceof String)) {
      throw new IllegalArgumentException(where + ".peerId must be a string or null");
    }
    return new PeerBookEntry(new PeerAddress(host, (int) port), source, addedAt, lastSeen, lastSuccess,
        (int) failures, advertise, (String) peerId);
  }

  private static String requiredString(JsonObject entry, String field, String where) {
    if (!(entry.getValue(field) instanceof String value) || value.isBlank()) {
      throw new IllegalArgumentException(where + "." + field + " must be a non-blank string");
    }
    return value;
  }

  private static long requiredLong(JsonObject entry, String field, String where) {
    Object value = entry.getValue(field);
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException(where + "." + field + " must be an integer");
    }
    return ((Number) value).longValue();
  }

  private static long nonNegative(JsonObject entry, String field, String where) {
    long value = requiredLong(entry, field, where);
    if (value < 0) {
      throw new IllegalArgumentException(where + "." + field + " must not be negative, got " + value);
    }
    return value;
  }
}
