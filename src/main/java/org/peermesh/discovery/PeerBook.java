package org.peermesh.discovery;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.net.NetGroups;
import org.peermesh.net.PeerAddress;
import org.peermesh.storage.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * The addresses a node knows, after LIP 0004 and Bitcoin Core's addrman: a <em>new</em> table of addresses heard of
 * but never connected to, and a <em>tried</em> table of addresses we connected to. Each address is in at most one
 * table, once.
 *
 * <p>Both tables are split into buckets of {@link #BUCKET_SIZE} entries, and where an address goes is decided by a
 * keyed hash of its network group and, in the new table, the group of the host that told us of it. So an attacker
 * with one /16 reaches at most 8 tried buckets, and one telling us of any number of addresses from one source group
 * reaches at most 16 new buckets: flooding us with addresses evicts only from those, and the rest of the book keeps
 * the honest peers. The key is a per-node secret, so the attacker cannot aim at particular buckets either.
 *
 * <p>Hosts are kept in {@link NetGroups#canonicalHost canonical} form, so two spellings of an IP are one address.
 * Thread-safe.
 */
public final class PeerBook {

  public static final int NEW_BUCKET_COUNT = 128;
  public static final int TRIED_BUCKET_COUNT = 64;
  public static final int BUCKET_SIZE = 32;
  /** Consecutive failed connections after which a tried address drops back to the new table. */
  public static final int MAX_TRIED_FAILURES = 3;
  /** The most addresses in one answer to getPeers. */
  public static final int MAX_GET_PEERS = 200;
  public static final long DEFAULT_EVICTION_THRESHOLD_MS = Duration.ofHours(24).toMillis();

  private static final Logger LOG = LoggerFactory.getLogger(PeerBook.class);

  private static final int SECRET_LENGTH = 32;
  private static final int FORMAT_VERSION = 1;
  private static final int TRIED_BUCKETS_PER_GROUP = 8;
  private static final int NEW_BUCKETS_PER_SOURCE_GROUP = 16;
  /** An answer to getPeers holds at least this many addresses, or all if fewer are known. */
  private static final int MIN_GET_PEERS = 100;
  // A full book is about 6,000 entries of some 250 bytes; a much larger file is not a peer book (a wrong path).
  private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private final byte[] secret;
  private final Clock clock;
  private final Random random;
  private final long evictionThresholdMs;
  private final BucketTable newTable = new BucketTable(NEW_BUCKET_COUNT);
  private final BucketTable triedTable = new BucketTable(TRIED_BUCKET_COUNT);
  // Orders whole saves, so that a later snapshot is never overwritten by an earlier one; held apart from the
  // book's own lock so that the file I/O does not block the callers that update the book.
  private final Object saveLock = new Object();

  /**
   * @param secret              the 32-byte key of the bucket placement; kept secret, it stops an attacker choosing
   *                            addresses that land in particular buckets
   * @param clock               the time of additions, connections and evictions
   * @param random              chooses eviction victims and getPeers samples
   * @param evictionThresholdMs when a bucket is full, an entry unseen (new) or not connected (tried) for longer than
   *                            this goes before a random one
   */
  public PeerBook(byte[] secret, Clock clock, Random random, long evictionThresholdMs) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length != SECRET_LENGTH) {
      throw new IllegalArgumentException("secret must be " + SECRET_LENGTH + " bytes, got " + secret.length);
    }
    if (evictionThresholdMs < 0) {
      throw new IllegalArgumentException("evictionThresholdMs must not be negative, got " + evictionThresholdMs);
    }
    this.secret = secret.clone();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.evictionThresholdMs = evictionThresholdMs;
  }

  /**
   * An empty book with a fresh secret and the default eviction threshold. Its eviction and sampling also use a
   * SecureRandom: a plain Random's state can be recovered from its outputs, which getPeers answers reveal, and would
   * tell an attacker which entries go next.
   */
  public static PeerBook create(Clock clock) {
    SecureRandom random = new SecureRandom();
    byte[] secret = new byte[SECRET_LENGTH];
    random.nextBytes(secret);
    return new PeerBook(secret, clock, random, DEFAULT_EVICTION_THRESHOLD_MS);
  }

  /**
   * Records that {@code sourceHost} told us of {@code address}; for an inbound peer, its own host is the source.
   *
   * @return true if the address was unknown and is now in the new table; false if it was known (an entry in the
   *     new table counts as seen now, one in the tried table is left as it is) or has port 0, which is no listener
   */
  public synchronized boolean addNew(PeerAddress address, String sourceHost) {
    Objects.requireNonNull(address, "address");
    requireHost(sourceHost, "sourceHost");
    if (address.port() == 0) {
      return false;
    }
    PeerAddress key = canonical(address);
    if (triedTable.contains(key)) {
      return false;
    }
    long now = clock.millis();
    PeerBookEntry known = newTable.get(key);
    if (known != null) {
      newTable.update(known.seen(now));
      return false;
    }
    placeInNew(PeerBookEntry.heardOf(key, NetGroups.canonicalHost(sourceHost), now));
    return true;
  }

  /**
   * Records a connection to {@code address}: it moves to (or is added to, with itself as the source) the tried
   * table, its failures are forgotten, and the peer id and advertise flag are set. An address with port 0 is
   * ignored: nobody can connect to it.
   *
   * @param peerId    the peer's id; null if not known, which keeps an id recorded before
   * @param advertise whether to pass the address on in answers to getPeers
   */
  public synchronized void markConnected(PeerAddress address, String peerId, boolean advertise) {
    Objects.requireNonNull(address, "address");
    if (address.port() == 0) {
      return;
    }
    PeerAddress key = canonical(address);
    long now = clock.millis();
    PeerBookEntry tried = triedTable.get(key);
    if (tried != null) {
      triedTable.update(tried.connected(now, peerId, advertise));
      return;
    }
    PeerBookEntry fresh = newTable.remove(key);
    PeerBookEntry entry = fresh != null ? fresh : PeerBookEntry.heardOf(key, key.host(), now);
    placeInTried(entry.connected(now, peerId, advertise));
  }

  /**
   * Records a failed connection to {@code address}: an address from the new table is dropped (it never worked); a
   * tried one drops back to the new table after {@link #MAX_TRIED_FAILURES} failures in a row.
   */
  public synchronized void markFailed(PeerAddress address) {
    PeerAddress key = canonical(address);
    if (newTable.remove(key) != null) {
      return;
    }
    PeerBookEntry tried = triedTable.get(key);
    if (tried == null) {
      return;
    }
    PeerBookEntry failed = tried.failed();
    if (failed.failures() < MAX_TRIED_FAILURES) {
      triedTable.update(failed);
    } else {
      triedTable.remove(key);
      placeInNew(failed.demoted());
    }
  }

  /** Removes every address on {@code host}, whatever its port, from both tables; for a banned IP. */
  public synchronized void removeHost(String host) {
    String key = NetGroups.canonicalHost(requireHost(host, "host"));
    for (BucketTable table : List.of(newTable, triedTable)) {
      for (PeerBookEntry entry : table.entries()) {
        if (entry.address().host().equals(key)) {
          table.remove(entry.address());
        }
      }
    }
  }

  public synchronized void remove(PeerAddress address) {
    PeerAddress key = canonical(address);
    newTable.remove(key);
    triedTable.remove(key);
  }

  public synchronized List<PeerAddress> newPeers() {
    return addresses(newTable.entries());
  }

  public synchronized List<PeerAddress> triedPeers() {
    return addresses(triedTable.entries());
  }

  public synchronized int newCount() {
    return newTable.size();
  }

  public synchronized int triedCount() {
    return triedTable.size();
  }

  public synchronized boolean contains(PeerAddress address) {
    PeerAddress key = canonical(address);
    return newTable.contains(key) || triedTable.contains(key);
  }

  public synchronized boolean isTried(PeerAddress address) {
    return triedTable.contains(canonical(address));
  }

  /**
   * The answer to a peer's getPeers: a random 25-50 % of the advertised addresses in both tables, but at least 100
   * (or all, if fewer are known) and at most {@link #MAX_GET_PEERS}, in random order. Never all of a large book, so
   * that one peer cannot map our view of the network in a few requests.
   */
  public synchronized List<PeerAddress> sampleForGetPeers() {
    List<PeerAddress> known = new ArrayList<>();
    for (BucketTable table : List.of(newTable, triedTable)) {
      for (PeerBookEntry entry : table.entries()) {
        if (entry.advertise()) {
          known.add(entry.address());
        }
      }
    }
    int size = known.size();
    int quarter = (size + 3) / 4;
    int half = Math.max(quarter, size / 2);
    int count = quarter + random.nextInt(half - quarter + 1);
    count = Math.min(MAX_GET_PEERS, Math.max(count, Math.min(MIN_GET_PEERS, size)));
    // A partial Fisher-Yates shuffle: the first count places get a uniform random sample.
    for (int i = 0; i < count; i++) {
      Collections.swap(known, i, i + random.nextInt(size - i));
    }
    return List.copyOf(known.subList(0, count));
  }

  /** The bucket of the new table {@code address} goes in when {@code sourceHost} tells us of it. */
  public synchronized int newBucket(PeerAddress address, String sourceHost) {
    return newBucketOf(canonical(address), NetGroups.canonicalHost(requireHost(sourceHost, "sourceHost")));
  }

  /** The bucket of the tried table {@code address} goes in. */
  public synchronized int triedBucket(PeerAddress address) {
    return triedBucketOf(canonical(address));
  }

  public synchronized int occupiedNewBuckets() {
    return newTable.occupiedBuckets();
  }

  public synchronized int occupiedTriedBuckets() {
    return triedTable.occupiedBuckets();
  }

  /**
   * The book as {@code {"version": 1, "secret": "<64 hex>", "new": [...], "tried": [...]}}, each entry with all its
   * fields. Buckets are not stored: {@link #fromJson} derives them again from the secret.
   */
  public synchronized JsonObject toJson() {
    return new JsonObject()
        .put("version", FORMAT_VERSION)
        .put("secret", HexFormat.of().formatHex(secret))
        .put("new", entriesJson(newTable))
        .put("tried", entriesJson(triedTable));
  }

  /**
   * Reads a book written by {@link #toJson}.
   *
   * @throws IllegalArgumentException naming what is wrong: an unknown version, a missing or malformed field, an
   *     address listed twice, or more entries for one bucket than it holds
   */
  public static PeerBook fromJson(JsonObject json, Clock clock, Random random, long evictionThresholdMs) {
    Objects.requireNonNull(json, "json");
    if (!Integer.valueOf(FORMAT_VERSION).equals(json.getValue("version"))) {
      throw new IllegalArgumentException("version must be " + FORMAT_VERSION + ", got " + json.getValue("version"));
    }
    PeerBook book = new PeerBook(parseSecret(json.getValue("secret")), clock, random, evictionThresholdMs);
    JsonArray newEntries = array(json, "new");
    JsonArray triedEntries = array(json, "tried");
    for (int i = 0; i < newEntries.size(); i++) {
      String where = "new[" + i + "]";
      PeerBookEntry entry = PeerBookEntry.fromJson(newEntries.getValue(i), where);
      if (entry.failures() != 0) {
        throw new IllegalArgumentException(where + ".failures must be 0 in the new table, got " + entry.failures());
      }
      book.load(book.newTable, book.newBucketOf(entry.address(), entry.sourceHost()), entry, where);
    }
    for (int i = 0; i < triedEntries.size(); i++) {
      String where = "tried[" + i + "]";
      PeerBookEntry entry = PeerBookEntry.fromJson(triedEntries.getValue(i), where);
      book.load(book.triedTable, book.triedBucketOf(entry.address()), entry, where);
    }
    return book;
  }

  /**
   * Writes the book to {@code file}, replacing it, creating its directory if needed. The content goes to an
   * owner-only temporary file in the same directory that is then renamed into place, so {@code file} is never
   * half-written and never readable by others: the secret in it would let them aim at our buckets.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public void save(Path file) {
    synchronized (saveLock) {
      byte[] content = toJson().encodePrettily().getBytes(StandardCharsets.UTF_8);
      try {
        OwnerOnlyFiles.write(file, content);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write peer book file " + file, e);
      }
    }
  }

  /**
   * Loads the book in {@code file}, or returns a new empty one (not yet saved) if there is no such file.
   *
   * @throws IllegalArgumentException if the file is not a peer book, naming the file and what is wrong
   * @throws UncheckedIOException if the file cannot be read
   */
  public static PeerBook loadOrCreate(Path file, Clock clock) {
    if (!Files.exists(file)) {
      return create(clock);
    }
    String content;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("peer book file " + file + " is malformed: " + size
            + " bytes, more than " + MAX_FILE_BYTES);
      }
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read peer book file " + file, e);
    }
    try {
      return fromJson(new JsonObject(content), clock, new SecureRandom(), DEFAULT_EVICTION_THRESHOLD_MS);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("peer book file " + file + " is not a JSON object: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("peer book file " + file + " is malformed: " + e.getMessage(), e);
    }
  }

  private void placeInNew(PeerBookEntry entry) {
    int bucket = newBucketOf(entry.address(), entry.sourceHost());
    if (newTable.isFull(bucket)) {
      evict(newTable, bucket, PeerBookEntry::lastSeen);
    }
    newTable.add(bucket, entry);
  }

  /** Places an entry in the tried table; an entry it pushes out goes back to the new table. */
  private void placeInTried(PeerBookEntry entry) {
    int bucket = triedBucketOf(entry.address());
    if (triedTable.isFull(bucket)) {
      placeInNew(evict(triedTable, bucket, PeerBookEntry::lastSuccess).demoted());
    }
    triedTable.add(bucket, entry);
  }

  /** Removes the stalest entry of a full bucket if it is older than the threshold, else a random one. */
  private PeerBookEntry evict(BucketTable table, int bucket, ToLongFunction<PeerBookEntry> lastGood) {
    List<PeerBookEntry> entries = table.bucket(bucket);
    long cutoff = clock.millis() - evictionThresholdMs;
    PeerBookEntry victim = entries.stream()
        .min(Comparator.comparingLong(lastGood))
        .filter(stalest -> lastGood.applyAsLong(stalest) < cutoff)
        .orElseGet(() -> entries.get(random.nextInt(entries.size())));
    table.remove(victim.address());
    return victim;
  }

  private void load(BucketTable table, int bucket, PeerBookEntry entry, String where) {
    if (newTable.contains(entry.address()) || triedTable.contains(entry.address())) {
      throw new IllegalArgumentException(where + ": " + entry.address() + " is listed twice");
    }
    if (table.isFull(bucket)) {
      throw new IllegalArgumentException(where + ": its bucket " + bucket + " already holds " + BUCKET_SIZE
          + " entries (written with another secret?)");
    }
    table.add(bucket, entry);
  }

  // One /16 (or /32) reaches only TRIED_BUCKETS_PER_GROUP tried buckets, whatever its addresses.
  private int triedBucketOf(PeerAddress address) {
    String group = NetGroups.of(address.host());
    long slot = Long.remainderUnsigned(hash("tried", address.toString()), TRIED_BUCKETS_PER_GROUP);
    return (int) Long.remainderUnsigned(hash("tried", group, Long.toString(slot)), TRIED_BUCKET_COUNT);
  }

  // One source group reaches only NEW_BUCKETS_PER_SOURCE_GROUP new buckets, and one group of addresses from one
  // source group lands in a single bucket.
  private int newBucketOf(PeerAddress address, String sourceHost) {
    String sourceGroup = NetGroups.of(sourceHost);
    long slot = Long.remainderUnsigned(hash("new", NetGroups.of(address.host()), sourceGroup),
        NEW_BUCKETS_PER_SOURCE_GROUP);
    return (int) Long.remainderUnsigned(hash("new", sourceGroup, Long.toString(slot)), NEW_BUCKET_COUNT);
  }

  /** SHA-256 over the secret and the parts, each prefixed by its length; the first 8 bytes, unsigned. */
  private long hash(String... parts) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
    updateWithLength(sha256, secret);
    for (String part : parts) {
      updateWithLength(sha256, part.getBytes(StandardCharsets.UTF_8));
    }
    return ByteBuffer.wrap(sha256.digest()).getLong();
  }

  private static void updateWithLength(MessageDigest digest, byte[] bytes) {
    digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
    digest.update(bytes);
  }

  private static PeerAddress canonical(PeerAddress address) {
    return new PeerAddress(NetGroups.canonicalHost(address.host()), address.port());
  }

  private static String requireHost(String host, String name) {
    Objects.requireNonNull(host, name);
    if (host.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return host;
  }

  private static List<PeerAddress> addresses(List<PeerBookEntry> entries) {
    return entries.stream().map(PeerBookEntry::address).toList();
  }

  private static JsonArray entriesJson(BucketTable table) {
    JsonArray array = new JsonArray();
    table.entries().forEach(entry -> array.add(entry.toJson()));
    return array;
  }

  private static byte[] parseSecret(Object value) {
    if (!(value instanceof String hex) || !hex.matches("[0-9a-f]{" + 2 * SECRET_LENGTH + "}")) {
      throw new IllegalArgumentException("secret must be " + 2 * SECRET_LENGTH + " lowercase hex characters");
    }
    return HexFormat.of().parseHex(hex);
  }

  private static JsonArray array(JsonObject json, String field) {
    if (!(json.getValue(field) instanceof JsonArray array)) {
      throw new IllegalArgumentException(field + " must be an array");
    }
    return array;
  }

}
