package org.peermesh.reputation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.reputation.BanList.Ban;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BanListTest {

  private static final long START = 1_700_000_000_000L;
  private static final long MINUTE = 60_000;

  @TempDir
  Path dir;

  private final TestClock clock = new TestClock(START);

  @Test
  void aBanIsInForceUntilItsEnd() {
    BanList bans = new BanList(dir.resolve("bans.json"), clock);

    Ban ban = bans.ban("203.0.113.7", "peerA", "invalid block", 10 * MINUTE);

    assertEquals(new Ban("203.0.113.7", "peerA", "invalid block", START, START + 10 * MINUTE), ban);
    assertTrue(bans.isBanned("203.0.113.7"));
    assertFalse(bans.isBanned("203.0.113.8"));
    assertEquals(Optional.of(ban), bans.get("203.0.113.7"));
    assertEquals(List.of(ban), bans.bans());

    clock.set(START + 10 * MINUTE - 1);
    assertTrue(bans.isBanned("203.0.113.7"));
    // From its end on the ban no longer counts, even before expire() removes it.
    clock.set(START + 10 * MINUTE);
    assertFalse(bans.isBanned("203.0.113.7"));
    assertEquals(Optional.empty(), bans.get("203.0.113.7"));
    assertEquals(List.of(), bans.bans());
  }

  @Test
  void aPeerKeyIsBannedApartFromItsAddress() {
    BanList bans = new BanList(dir.resolve("bans.json"), clock);

    bans.ban("peer:peerA", "peerA", "spam", MINUTE);

    assertTrue(bans.isBanned("peer:peerA"));
    assertFalse(bans.isBanned("127.0.0.1"));
    assertFalse(bans.isBanned("peer:peerB"));
  }

  @Test
  void banningAgainKeepsTheStartAndTheLaterEnd() {
    BanList bans = new BanList(dir.resolve("bans.json"), clock);
    bans.ban("203.0.113.7", "peerA", "first", 10 * MINUTE);
    clock.advance(MINUTE);

    Ban shorter = bans.ban("203.0.113.7", null, "second", MINUTE);

    assertEquals(new Ban("203.0.113.7", "peerA", "second", START, START + 10 * MINUTE), shorter);

    Ban longer = bans.ban("203.0.113.7", "peerB", "third", 60 * MINUTE);

    assertEquals(new Ban("203.0.113.7", "peerB", "third", START, START + 61 * MINUTE), longer);
    assertEquals(List.of(longer), bans.bans());
  }

  @Test
  void banningAfterAnUnexpiredEndStartsANewBan() {
    BanList bans = new BanList(dir.resolve("bans.json"), clock);
    bans.ban("203.0.113.7", "peerA", "first", MINUTE);
    clock.advance(2 * MINUTE);

    Ban again = bans.ban("203.0.113.7", "peerA", "second", MINUTE);

    assertEquals(new Ban("203.0.113.7", "peerA", "second", START + 2 * MINUTE, START + 3 * MINUTE), again);
  }

  @Test
  void expireRemovesAndReturnsExactlyTheEndedBans() {
    Path file = dir.resolve("bans.json");
    BanList bans = new BanList(file, clock);
    Ban a = bans.ban("198.51.100.1", null, "a", 10 * MINUTE);
    Ban b = bans.ban("198.51.100.2", null, "b", 20 * MINUTE);
    Ban c = bans.ban("198.51.100.3", null, "c", 30 * MINUTE);
    assertEquals(List.of(), bans.expire());

    clock.advance(20 * MINUTE);

    assertEquals(List.of(a, b), bans.expire());
    assertEquals(List.of(), bans.expire());
    assertEquals(List.of(c), bans.bans());
    clock.set(START);
    assertEquals(List.of(c), BanList.load(file, clock).bans(), "the expiry was not saved");
  }

  @Test
  void unbanRemovesTheBanAndSaves() {
    Path file = dir.resolve("bans.json");
    BanList bans = new BanList(file, clock);
    Ban a = bans.ban("198.51.100.1", "peerA", "a", MINUTE);
    Ban b = bans.ban("198.51.100.2", "peerB", "b", MINUTE);

    assertEquals(Optional.of(a), bans.unban("198.51.100.1"));
    assertEquals(Optional.empty(), bans.unban("198.51.100.1"));

    assertFalse(bans.isBanned("198.51.100.1"));
    assertEquals(List.of(b), BanList.load(file, clock).bans());
  }

  @Test
  void bansSurviveAReload() {
    Path file = dir.resolve("bans.json");
    BanList bans = new BanList(file, clock);
    Ban a = bans.ban("2001:db8::1", null, "malformed message", 10 * MINUTE);
    Ban b = bans.ban("peer:peerB", "peerB", "reputation 0", 20 * MINUTE);

    BanList reloaded = BanList.load(file, clock);

    assertTrue(reloaded.isBanned("2001:db8::1"));
    assertTrue(reloaded.isBanned("peer:peerB"));
    assertEquals(List.of(a, b), reloaded.bans());
  }

  @Test
  void theFileHoldsTheDocumentedJson() throws IOException {
    Path file = dir.resolve("bans.json");
    new BanList(file, clock).ban("203.0.113.7", null, "spam", MINUTE);

    JsonObject json = new JsonObject(Files.readString(file));

    JsonObject ban = new JsonObject().put("key", "203.0.113.7").put("peerId", null).put("reason", "spam")
        .put("bannedAt", START).put("until", START + MINUTE);
    assertEquals(new JsonObject().put("version", 1).put("bans", new JsonArray().add(ban)), json);
  }

  @Test
  void loadDropsBansThatEndedWhileTheNodeWasDown() {
    Path file = dir.resolve("bans.json");
    BanList bans = new BanList(file, clock);
    bans.ban("198.51.100.1", null, "short", 10 * MINUTE);
    Ban longer = bans.ban("198.51.100.2", null, "long", 60 * MINUTE);
    clock.advance(30 * MINUTE);

    BanList reloaded = BanList.load(file, clock);

    assertEquals(List.of(longer), reloaded.bans());
    assertEquals(List.of(), reloaded.expire(), "a dropped ban is not reported as expired");
  }

  @Test
  void loadOfAMissingFileIsEmptyAndWritesNothing() {
    Path file = dir.resolve("bans.json");

    BanList bans = BanList.load(file, clock);

    assertEquals(List.of(), bans.bans());
    assertFalse(Files.exists(file));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "not json",
      "null",
      "{\"version\":1,\"bans\":[]} trailing",
      "[]",
      "{\"bans\":[]}",
      "{\"version\":2,\"bans\":[]}",
      "{\"version\":\"1\",\"bans\":[]}",
      "{\"version\":1}",
      "{\"version\":1,\"bans\":{}}",
      "{\"version\":1,\"bans\":[1]}",
      "{\"version\":1,\"bans\":[{\"peerId\":null,\"reason\":\"r\",\"bannedAt\":1,\"until\":2}]}",
      "{\"version\":1,\"bans\":[{\"key\":\" \",\"peerId\":null,\"reason\":\"r\",\"bannedAt\":1,\"until\":2}]}",
      "{\"version\":1,\"bans\":[{\"key\":\"1.2.3.4\",\"peerId\":7,\"reason\":\"r\",\"bannedAt\":1,\"until\":2}]}",
      "{\"version\":1,\"bans\":[{\"key\":\"1.2.3.4\",\"peerId\":null,\"bannedAt\":1,\"until\":2}]}",
      "{\"version\":1,\"bans\":[{\"key\":\"1.2.3.4\",\"peerId\":null,\"reason\":\"r\",\"bannedAt\":1}]}",
      "{\"version\":1,\"bans\":[{\"key\":\"1.2.3.4\",\"peerId\":null,\"reason\":\"r\",\"bannedAt\":1,\"until\":\"2\"}]}",
      "{\"version\":1,\"bans\":[{\"key\":\"1.2.3.4\",\"peerId\":null,\"reason\":\"r\",\"bannedAt\":1,\"until\":2.5}]}",
      "{\"version\":1,\"bans\":[{\"key\":\"1.2.3.4\",\"peerId\":null,\"reason\":\"r\",\"bannedAt\":3,\"until\":2}]}",
  })
  void aMalformedFileIsRefusedNamingTheFile(String content) throws IOException {
    Path file = dir.resolve("bans.json");
    Files.writeString(file, content);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BanList.load(file, clock));

    assertTrue(e.getMessage().startsWith("ban list " + file + " is malformed: "), e.getMessage());
  }

  @Test
  void theProblemIsNamed() throws IOException {
    Path file = dir.resolve("bans.json");

    assertEquals("ban list " + file + " is malformed: version must be 1, was 2",
        loadFailure(file, "{\"version\":2,\"bans\":[]}"));
    assertEquals("ban list " + file + " is malformed: bans[1].until must be an integer (epoch milliseconds)",
        loadFailure(file, "{\"version\":1,\"bans\":["
            + "{\"key\":\"1.2.3.4\",\"peerId\":null,\"reason\":\"r\",\"bannedAt\":1,\"until\":2},"
            + "{\"key\":\"1.2.3.5\",\"peerId\":null,\"reason\":\"r\",\"bannedAt\":1,\"until\":\"soon\"}]}"));
    String ban = "{\"key\":\"1.2.3.4\",\"peerId\":null,\"reason\":\"r\",\"bannedAt\":1,\"until\":" + Long.MAX_VALUE + "}";
    assertEquals("ban list " + file + " is malformed: key 1.2.3.4 is banned twice",
        loadFailure(file, "{\"version\":1,\"bans\":[" + ban + "," + ban + "]}"));
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() throws IOException {
    Path file = dir.resolve("bans.json");
    Files.write(file, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BanList.load(file, clock));

    assertEquals("ban list " + file + " is malformed: not UTF-8 text", e.getMessage());
  }

  @Test
  void savingCreatesTheDirectoryAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("data").resolve("node").resolve("bans.json");
    BanList bans = new BanList(file, clock);

    bans.ban("198.51.100.1", null, "a", MINUTE);
    bans.ban("198.51.100.2", null, "b", 2 * MINUTE);
    bans.unban("198.51.100.2");
    clock.advance(MINUTE);
    bans.expire();

    assertEquals(List.of(file), listFiles(file.getParent()));
    assertEquals(List.of(), BanList.load(file, clock).bans());
  }

  @Test
  void theFileIsOwnerOnlyEvenWhenItWasNot() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("bans.json");
    BanList bans = new BanList(file, clock);
    bans.ban("198.51.100.1", null, "a", MINUTE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    bans.ban("198.51.100.2", null, "b", MINUTE);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aFailedSaveNamesTheFileAndChangesNothing() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("occupied"), "a file, not a directory");
    Path file = notADirectory.resolve("bans.json");
    BanList bans = new BanList(file, clock);

    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> bans.ban("198.51.100.1", null, "a", MINUTE));

    assertEquals("cannot save ban list " + file, e.getMessage());
    assertFalse(bans.isBanned("198.51.100.1"));
    assertEquals(List.of(), bans.bans());
  }

  @Test
  void aBanMustLastAndHaveAKeyAndReason() {
    BanList bans = new BanList(dir.resolve("bans.json"), clock);

    assertThrows(IllegalArgumentException.class, () -> bans.ban("198.51.100.1", null, "a", 0));
    assertThrows(IllegalArgumentException.class, () -> bans.ban(" ", null, "a", MINUTE));
    assertThrows(NullPointerException.class, () -> bans.ban(null, null, "a", MINUTE));
    assertThrows(NullPointerException.class, () -> bans.ban("198.51.100.1", null, null, MINUTE));
    assertEquals(List.of(), bans.bans());
    assertFalse(Files.exists(dir.resolve("bans.json")));
  }

  @Test
  void aVeryLongBanEndsAtTheEndOfTime() {
    BanList bans = new BanList(dir.resolve("bans.json"), clock);

    assertEquals(Long.MAX_VALUE, bans.ban("198.51.100.1", null, "forever", Long.MAX_VALUE).until());
  }

  @Test
  void concurrentBansAreAllKeptAndSaved() throws Exception {
    Path file = dir.resolve("bans.json");
    BanList bans = new BanList(file, clock);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            bans.ban("10." + thread + ".0." + i, null, "load", MINUTE);
          }
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(100, bans.bans().size());
    assertEquals(100, BanList.load(file, clock).bans().size());
  }

  private String loadFailure(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return assertThrows(IllegalArgumentException.class, () -> BanList.load(file, clock)).getMessage();
  }

  private static List<Path> listFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.toList();
    }
  }

  /** A clock that moves only when the test says, so expiry is tested without sleeping. */
  private static final class TestClock extends Clock {

    private volatile long millis;

    TestClock(long millis) {
      this.millis = millis;
    }

    void set(long newMillis) {
      millis = newMillis;
    }

    void advance(long deltaMillis) {
      millis += deltaMillis;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
