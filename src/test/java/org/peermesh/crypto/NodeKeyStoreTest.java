package org.peermesh.crypto;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NodeKeyStoreTest {

  private static final String PRIVATE_HEX = "e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2";

  @TempDir
  Path dir;

  @BeforeEach
  void requirePosix() {
    // The permission rules are the point of this class; on a non-POSIX file system they cannot be tested.
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  @Test
  void loadOrCreateCreatesAnOwnerOnlyKeyFileInMissingDirectories() throws IOException {
    Path file = dir.resolve("data").resolve("node").resolve("node.key");

    NodeKey key = NodeKeyStore.loadOrCreate(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String content = Files.readString(file, StandardCharsets.US_ASCII);
    assertTrue(content.matches("[0-9a-f]{64}\n"), "not 64 lowercase hex characters and a newline");
    assertEquals(HexFormat.of().formatHex(key.privateKeyBytes()) + "\n", content);
    assertEquals(List.of(file), listFiles(file.getParent()), "temporary file left behind");
  }

  @Test
  void loadOrCreateLoadsTheSameKeyBack() {
    Path file = dir.resolve("node.key");
    NodeKey created = NodeKeyStore.loadOrCreate(file);

    NodeKey reloaded = NodeKeyStore.loadOrCreate(file);
    NodeKey loaded = NodeKeyStore.load(file);

    assertEquals(created.peerId(), reloaded.peerId());
    assertEquals(created.peerId(), loaded.peerId());
  }

  @Test
  void writeThenLoadKeepsTheExactKey() throws IOException {
    Path file = dir.resolve("node.key");
    NodeKey key = NodeKey.fromPrivateKey(HexFormat.of().parseHex(PRIVATE_HEX));

    NodeKeyStore.write(file, key);

    assertEquals(PRIVATE_HEX + "\n", Files.readString(file, StandardCharsets.US_ASCII));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(key.peerId(), NodeKeyStore.load(file).peerId());
  }

  @Test
  void loadAcceptsAReadOnlyOwnerFile() throws IOException {
    Path file = writeKeyFile(PRIVATE_HEX + "\n", "r--------");
    assertEquals(NodeKey.fromPrivateKey(HexFormat.of().parseHex(PRIVATE_HEX)).peerId(),
        NodeKeyStore.load(file).peerId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rw---x---", "rw------x"})
  void loadRefusesAFileOthersCanAccess(String permissions) throws IOException {
    Path file = writeKeyFile(PRIVATE_HEX + "\n", permissions);

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> NodeKeyStore.load(file));

    assertEquals("node key file " + file + " is accessible by group or others (" + permissions + "); chmod 600 it",
        e.getMessage());
    assertFalse(e.getMessage().contains(PRIVATE_HEX.substring(0, 8)), e.getMessage());
  }

  @Test
  void loadOrCreateRefusesAnExistingWorldReadableFileRatherThanReplacingIt() throws IOException {
    Path file = writeKeyFile(PRIVATE_HEX + "\n", "rw-r--r--");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> NodeKeyStore.loadOrCreate(file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("(rw-r--r--)"), e.getMessage());
    assertFalse(e.getMessage().contains(PRIVATE_HEX), e.getMessage());
    assertEquals(PRIVATE_HEX + "\n", Files.readString(file, StandardCharsets.US_ASCII));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "\n",
      PRIVATE_HEX,
      PRIVATE_HEX + "\r\n",
      PRIVATE_HEX + "\n\n",
      PRIVATE_HEX + " ",
      " " + PRIVATE_HEX + "\n",
      "E91671C46231F833A6406CCBEA0E3E392C76C167BAC1CB013F6F1013980455C2\n",
      "g91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2\n",
      "e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c\n",
      "0000000000000000000000000000000000000000000000000000000000000000\n",
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141\n",
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\n"})
  void loadRefusesMalformedContent(String content) throws IOException {
    Path file = writeKeyFile(content, "rw-------");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> NodeKeyStore.load(file));

    assertTrue(e.getMessage().startsWith("node key file " + file + " is malformed: "), e.getMessage());
    String trimmed = content.strip();
    if (trimmed.length() >= 8) {
      assertFalse(e.getMessage().toLowerCase().contains(trimmed.toLowerCase().substring(0, 8)), e.getMessage());
    }
  }

  @Test
  void loadRefusesADirectory() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("node.key"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> NodeKeyStore.load(directory));

    assertEquals("node key file " + directory + " is not a regular file", e.getMessage());
  }

  @Test
  void loadOfAMissingFileFailsWithItsName() {
    Path file = dir.resolve("missing.key");

    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> NodeKeyStore.load(file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void writeRefusesToOverwriteAnExistingKey() throws IOException {
    Path file = dir.resolve("node.key");
    NodeKey original = NodeKey.fromPrivateKey(HexFormat.of().parseHex(PRIVATE_HEX));
    NodeKeyStore.write(file, original);

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> NodeKeyStore.write(file, NodeKey.generate()));

    assertEquals("refusing to overwrite existing node key file " + file, e.getMessage());
    assertEquals(PRIVATE_HEX + "\n", Files.readString(file, StandardCharsets.US_ASCII));
    assertEquals(List.of(file), listFiles(dir));
  }

  @Test
  void writeRefusesToOverwriteAnyExistingFile() throws IOException {
    Path file = Files.writeString(dir.resolve("node.key"), "not a key\n");

    assertThrows(IllegalStateException.class, () -> NodeKeyStore.write(file, NodeKey.generate()));

    assertEquals("not a key\n", Files.readString(file));
  }

  @Test
  void writeCreatesAMissingDirectoryAndLeavesOnlyTheKey() throws IOException {
    Path file = dir.resolve("absent").resolve("node.key");
    NodeKey key = NodeKey.generate();

    NodeKeyStore.write(file, key);

    assertEquals(List.of(file), listFiles(file.getParent()));
    assertEquals(key.peerId(), NodeKeyStore.load(file).peerId());
  }

  private Path writeKeyFile(String content, String permissions) throws IOException {
    Path file = dir.resolve("node.key");
    Files.writeString(file, content, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private static List<Path> listFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.toList();
    }
  }
}
