package org.peermesh.discovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peermesh.net.PeerAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Saving and loading the peer book. */
class PeerBookFileTest {

  @TempDir
  Path dir;

  private MutableClock clock;
  private PeerBook book;

  @BeforeEach
  void fillABook() {
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    book = new PeerBook(PeerBookTest.SECRET, clock, new Random(42), PeerBookTest.DAY_MS);
    List<PeerAddress> addresses = PeerBookTest.distinctSlash16s(600);
    for (int i = 0; i < addresses.size(); i++) {
      book.addNew(addresses.get(i), i % 2 == 0 ? addresses.get(i).host() : "203.0.113." + (i % 7));
      clock.advance(Duration.ofSeconds(1));
    }
    for (int i = 0; i < 200; i++) {
      book.markConnected(addresses.get(i), i % 5 == 0 ? null : "peer-" + i, i % 4 != 0);
    }
    book.markFailed(addresses.get(1));
    book.markFailed(addresses.get(2));
    book.markFailed(addresses.get(2));
    book.addNew(new PeerAddress("2001:db8::1", 5000), "seed.example.com");
  }

  @Test
  void saveThenLoadKeepsEveryEntryInItsBucket() {
    Path file = dir.resolve("data").resolve("peers.json");

    book.save(file);
    PeerBook loaded = PeerBook.loadOrCreate(file, clock);

    assertEquals(book.toJson(), loaded.toJson());
    assertEquals(book.newPeers(), loaded.newPeers());
    assertEquals(book.triedPeers(), loaded.triedPeers());
    assertEquals(book.occupiedNewBuckets(), loaded.occupiedNewBuckets());
    assertEquals(book.occupiedTriedBuckets(), loaded.occupiedTriedBuckets());
    for (PeerAddress address : loaded.triedPeers()) {
      assertEquals(book.triedBucket(address), loaded.triedBucket(address));
    }
  }

  @Test
  void theFileHoldsEveryField() {
    JsonObject json = book.toJson();

    assertEquals(1, json.getInteger("version"));
    assertEquals(64, json.getString("secret").length());
    assertEquals(book.newCount(), json.getJsonArray("new").size());
    assertEquals(200, json.getJsonArray("tried").size());
    JsonObject twoFailures = json.getJsonArray("tried").stream().map(JsonObject.class::cast)
        .filter(entry -> entry.getString("host").equals("11.2.0.1")).findFirst().orElseThrow();
    assertEquals(5000, twoFailures.getInteger("port"));
    assertEquals(2, twoFailures.getInteger("failures"));
    assertEquals("peer-2", twoFailures.getString("peerId"));
    assertTrue(twoFailures.getBoolean("advertise"));
    assertEquals("11.2.0.1", twoFailures.getString("source"));
    assertTrue(twoFailures.getLong("addedAt") < twoFailures.getLong("lastSuccess"));
    assertEquals(twoFailures.getLong("lastSuccess"), twoFailures.getLong("lastSeen"));
  }

  @Test
  void theLoadedBookKeepsWorking() {
    Path file = dir.resolve("peers.json");
    book.save(file);
    PeerBook loaded = PeerBook.loadOrCreate(file, clock);
    PeerAddress twoFailures = new PeerAddress("11.2.0.1", 5000);

    loaded.markFailed(twoFailures);

    assertFalse(loaded.isTried(twoFailures));
    assertTrue(loaded.contains(twoFailures));
    assertEquals(book.newBucket(new PeerAddress("45.33.1.2", 5000), "seed.example.com"),
        loaded.newBucket(new PeerAddress("45.33.1.2", 5000), "seed.example.com"));
  }

  @Test
  void saveWritesAnOwnerOnlyFileAndLeavesNoTemporaryFile() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("peers.json");

    book.save(file);
    book.markConnected(new PeerAddress("45.33.1.2", 5000), "peer-x", true);
    book.save(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "temporary file left behind");
    }
    assertTrue(PeerBook.loadOrCreate(file, clock).isTried(new PeerAddress("45.33.1.2", 5000)));
  }

  @Test
  void loadOrCreateWithoutAFileGivesAnEmptyBookAndWritesNothing() {
    Path file = dir.resolve("peers.json");

    PeerBook created = PeerBook.loadOrCreate(file, clock);

    assertEquals(0, created.newCount() + created.triedCount());
    assertFalse(Files.exists(file));
  }

  @Test
  void freshBooksHaveTheirOwnSecrets() {
    String first = PeerBook.create(clock).toJson().getString("secret");
    String second = PeerBook.create(clock).toJson().getString("secret");

    assertTrue(first.matches("[0-9a-f]{64}"), first);
    assertFalse(first.equals(second));
  }

  @Test
  void aFileThatIsNotJsonIsRefusedNamingTheFile() throws IOException {
    Path file = dir.resolve("peers.json");
    Files.writeString(file, "{\"version\": 1, \"secret\": ", StandardCharsets.UTF_8);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PeerBook.loadOrCreate(file, clock));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "version 2                | version must be 1",
      "no version               | version must be 1",
      "short secret             | secret must be 64 lowercase hex characters",
      "no tried                 | tried must be an array",
      "entry not an object      | new[0] is not an object",
      "port 0                   | new[0].port must be within 1-65535",
      "port a string            | new[0].port must be an integer",
      "no host                  | new[0].host must be a non-blank string",
      "negative lastSeen        | new[0].lastSeen must not be negative",
      "advertise missing        | new[0].advertise must be true or false",
      "peerId a number          | new[0].peerId must be a string or null",
      "failures in new          | new[0].failures must be 0 in the new table",
      "three tried failures     | tried[0].failures must be below 3",
      "address listed twice     | is listed twice",
  })
  void aMalformedFileIsRefusedSayingWhatIsWrong(String mutation, String message) throws IOException {
    JsonObject json = book.toJson();
    mutate(mutation).accept(json);
    Path file = dir.resolve("peers.json");
    Files.writeString(file, json.encode(), StandardCharsets.UTF_8);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PeerBook.loadOrCreate(file, clock));

    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void moreEntriesForABucketThanItHoldsAreRefused() {
    PeerBook small = new PeerBook(PeerBookTest.SECRET, clock, new Random(1), PeerBookTest.DAY_MS);
    JsonArray entries = new JsonArray();
    for (PeerAddress address : PeerBookTest.oneSlash16(PeerBook.BUCKET_SIZE + 1)) {
      entries.add(new JsonObject().put("host", address.host()).put("port", address.port())
          .put("source", "203.0.113.7").put("addedAt", 1).put("lastSeen", 1).put("lastSuccess", 0)
          .put("failures", 0).put("advertise", true).putNull("peerId"));
    }
    JsonObject json = small.toJson().put("new", entries);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PeerBook.fromJson(json, clock, new Random(1), PeerBookTest.DAY_MS));

    assertTrue(e.getMessage().startsWith("new[32]: its bucket"), e.getMessage());
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsAnIoErrorNamingTheFile() throws IOException {
    Path blocker = dir.resolve("not-a-directory");
    Files.writeString(blocker, "x");
    Path file = blocker.resolve("peers.json");

    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> book.save(file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  private static Consumer<JsonObject> mutate(String mutation) {
    return switch (mutation) {
      case "version 2" -> json -> json.put("version", 2);
      case "no version" -> json -> json.remove("version");
      case "short secret" -> json -> json.put("secret", "abcd");
      case "no tried" -> json -> json.remove("tried");
      case "entry not an object" -> json -> json.getJsonArray("new").set(0, "45.33.1.2:5000");
      case "port 0" -> json -> firstNew(json).put("port", 0);
      case "port a string" -> json -> firstNew(json).put("port", "5000");
      case "no host" -> json -> firstNew(json).remove("host");
      case "negative lastSeen" -> json -> firstNew(json).put("lastSeen", -1);
      case "advertise missing" -> json -> firstNew(json).remove("advertise");
      case "peerId a number" -> json -> firstNew(json).put("peerId", 7);
      case "failures in new" -> json -> firstNew(json).put("failures", 1);
      case "three tried failures" -> json -> json.getJsonArray("tried").getJsonObject(0).put("failures", 3);
      case "address listed twice" -> json -> json.getJsonArray("tried").add(firstNew(json).copy());
      default -> throw new IllegalArgumentException(mutation);
    };
  }

  private static JsonObject firstNew(JsonObject json) {
    return json.getJsonArray("new").getJsonObject(0);
  }
}
