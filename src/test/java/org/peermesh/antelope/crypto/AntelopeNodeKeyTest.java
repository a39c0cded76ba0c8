package org.peermesh.antelope.crypto;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AntelopeNodeKeyTest {

  private static final String PVT_K1 = AntelopePrivateKeyTest.PVT_K1;
  /** A part of the key text no message may show. */
  private static final String SECRET_PART = PVT_K1.substring(10, 30);

  @TempDir
  Path dir;

  @BeforeEach
  void requirePosix() {
    // The permission rules are the point of this class; on a non-POSIX file system they cannot be tested.
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  @Test
  void createsAnOwnerOnlyKeyFileInMissingDirectoriesOnce() throws IOException {
    Path file = dir.resolve("data").resolve("antelope").resolve("node-k1.key");

    AntelopePrivateKey created = AntelopeNodeKey.loadOrCreate(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String content = Files.readString(file, StandardCharsets.US_ASCII);
    assertTrue(content.matches("PVT_K1_[1-9A-HJ-NP-Za-km-z]{49,50}\n"), "not PVT_K1_ and base58 and a newline");
    assertEquals(created.toSecretString() + "\n", content);
    assertEquals(List.of(file), listFiles(file.getParent()), "temporary file left behind");

    AntelopePrivateKey reloaded = AntelopeNodeKey.loadOrCreate(file);

    assertEquals(created, reloaded);
    assertEquals(created.publicKey(), reloaded.publicKey());
    assertEquals(content, Files.readString(file, StandardCharsets.US_ASCII));
  }

  @Test
  void loadsAKeyWrittenByHand() throws IOException {
    Path file = writeKeyFile(PVT_K1 + "\n", "rw-------");

    assertEquals(AntelopePrivateKeyTest.KEY, AntelopeNodeKey.loadOrCreate(file));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw------x"})
  void refusesAFileOthersCanAccessRatherThanReplacingIt(String permissions) throws IOException {
    Path file = writeKeyFile(PVT_K1 + "\n", permissions);

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> AntelopeNodeKey.loadOrCreate(file));

    assertEquals("Antelope node key file " + file + " is accessible by group or others (" + permissions
        + "); chmod 600 it", e.getMessage());
    assertEquals(PVT_K1 + "\n", Files.readString(file, StandardCharsets.US_ASCII));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "\n",
      PVT_K1,
      PVT_K1 + "\r\n",
      PVT_K1 + "\n\n",
      " " + PVT_K1 + "\n",
      // The last character changed: the checksum does not match.
      "PVT_K1_8WwpJCixn9cKe3jAyXvxNeo5JrBFKj43ULkUeTfeLMqJgFM2b\n",
      // The key in WIF: the file has one form.
      "5HwoXVkHoRM8sL2KmNRS217n1g8mPPBomrY7yehCuXC1115WWsh\n",
      "PUB_K1_7S7oY6Jrjzq8txrPmBwUhUmKzpN64835E7ura1HDDAVUsriHtC\n",
      "e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2\n"})
  void refusesACorruptedFileWithAClearMessage(String content) throws IOException {
    Path file = writeKeyFile(content, "rw-------");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> AntelopeNodeKey.loadOrCreate(file));

    assertTrue(e.getMessage().startsWith("Antelope node key file " + file + " is malformed: "), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET_PART), e.getMessage());
    assertEquals(content, Files.readString(file, StandardCharsets.US_ASCII), "the file was changed");
  }

  @Test
  void aChecksumErrorIsNamed() throws IOException {
    Path file = writeKeyFile("PVT_K1_8WwpJCixn9cKe3jAyXvxNeo5JrBFKj43ULkUeTfeLMqJgFM2b\n", "rw-------");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> AntelopeNodeKey.loadOrCreate(file));

    assertEquals("Antelope node key file " + file + " is malformed: checksum does not match", e.getMessage());
  }

  @Test
  void refusesALargeFileWithoutReadingIt() throws IOException {
    Path file = writeKeyFile(PVT_K1 + "\n" + "x".repeat(10_000), "rw-------");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> AntelopeNodeKey.loadOrCreate(file));

    assertTrue(e.getMessage().endsWith("found 10057 bytes"), e.getMessage());
  }

  @Test
  void refusesADirectory() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("node-k1.key"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> AntelopeNodeKey.loadOrCreate(directory));

    assertEquals("Antelope node key file " + directory + " is not a regular file", e.getMessage());
  }

  private Path writeKeyFile(String content, String permissions) throws IOException {
    Path file = dir.resolve("node-k1.key");
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
