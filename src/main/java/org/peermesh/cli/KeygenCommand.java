package org.peermesh.cli;

import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.NodeKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code keygen}: a new node identity in a file of its own. */
@Command(name = "keygen", description = {"Write a new secp256k1 node key and print its peer id.",
    "The file is owner-only; an existing key file is never overwritten."})
final class KeygenCommand implements Callable<Integer> {

  private final PrintStream out;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "data/node.key",
      description = "Where to write the key (default: ${DEFAULT-VALUE}).")
  private Path file;

  @Mixin
  private HelpOption help;

  KeygenCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (Files.exists(file)) {
      throw new IllegalStateException("node key file " + file + " exists already; a node key is an identity, "
          + "so keygen never overwrites one");
    }
    NodeKey key = NodeKey.generate();
    NodeKeyStore.write(file, key);
    out.println("wrote " + file + " (owner-only permissions)");
    out.println("peer id: " + key.peerId());
    return 0;
  }
}
