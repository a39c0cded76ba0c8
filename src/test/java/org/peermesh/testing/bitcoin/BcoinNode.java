package org.peermesh.testing.bitcoin;

import org.peermesh.testing.ForeignProcess;
import org.peermesh.testing.InteropInstall;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real bcoin 1.0.2 full node on regtest, in memory, on 127.0.0.1: {@code src/interop/bcoin/regtest-node.js} in a
 * Node.js process of its own, with the wallet plugin. Tests talk Bitcoin's wire protocol to {@link #p2pPort()} and
 * drive the node through its JSON-RPC ({@link #rpc}) and its wallet's ({@link #walletRpc}).
 *
 * <p>Runs {@code src/interop/install.sh bcoin} first, which installs bcoin unless the installed tree matches the lock
 * file. The process reads its standard input to the end and exits when it closes, so it dies with the JVM even when
 * {@link #close} is never called.
 *
 * <p>bcoin bans by IP: a peer that misbehaves (ban score 100) gets 127.0.0.1 banned for 24 hours, which refuses
 * every later local connection. A test that provokes a ban should have a node of its own.
 */
public final class BcoinNode implements AutoCloseable {

  public static final Path DIR = InteropInstall.INTEROP_DIR.resolve("bcoin");
  public static final String HOST = "127.0.0.1";
  /** Starting Node.js, opening the in-memory chain and wallet, and binding three ports. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(30);

  private final ForeignProcess process;
  private final int p2pPort;
  private final int rpcPort;
  private final int walletPort;
  private final String authorization;
  // HTTP/1.1 only: bweb resets a connection that offers the upgrade to HTTP/2 (h2c).
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private int rpcId;

  private BcoinNode(ForeignProcess process, int p2pPort, int rpcPort, int walletPort, String apiKey) {
    this.process = process;
    this.p2pPort = p2pPort;
    this.rpcPort = rpcPort;
    this.walletPort = walletPort;
    // bcoin checks the password only: any user name will do.
    this.authorization = "Basic "
        + Base64.getEncoder().encodeToString(("x:" + apiKey).getBytes(StandardCharsets.US_ASCII));
  }

  /** Installs bcoin if needed, starts a node and waits until it listens and serves RPC. */
  public static BcoinNode start() {
    ensureInstalled();
    return ForeignProcess.startWithRetries(BcoinNode::startOnce);
  }

  /** Runs {@code src/interop/install.sh bcoin}, once in this JVM: it installs bcoin unless it is up to date. */
  public static void ensureInstalled() {
    if (!Files.isRegularFile(DIR.resolve("regtest-node.js"))) {
      throw new IllegalStateException("no " + DIR.resolve("regtest-node.js").toAbsolutePath()
          + ": run the tests from the repository root");
    }
    InteropInstall.run("bcoin");
  }

  private static BcoinNode startOnce() {
    int p2pPort = TestNodes.reservedPort();
    int rpcPort = TestNodes.reservedPort();
    int walletPort = TestNodes.reservedPort();
    if (p2pPort == rpcPort || rpcPort == walletPort || p2pPort == walletPort) {
      throw new ForeignProcess.PortTakenException("the same port picked twice", null);
    }
    String apiKey = UUID.randomUUID().toString();
    List<String> command = List.of("node", "regtest-node.js", "--p2p-port", String.valueOf(p2pPort),
        "--rpc-port", String.valueOf(rpcPort), "--wallet-port", String.valueOf(walletPort), "--api-key", apiKey);
    ForeignProcess process;
    try {
      process = new ForeignProcess("bcoin:" + p2pPort, new ProcessBuilder(command).directory(DIR.toFile()).start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run node (is Node.js 20 on the PATH?): " + e.getMessage(), e);
    }
    CompletableFuture<JsonObject> ready = new CompletableFuture<>();
    process.drain(process.process().getInputStream(), "out", line -> {
      if (line.startsWith("{")) {
        try {
          JsonObject json = new JsonObject(line);
          if (json.getBoolean("ready", false)) {
            ready.complete(json);
          }
        } catch (DecodeException ignored) {
          // Not the ready line.
        }
      }
    });
    process.drain(process.process().getErrorStream(), "err", line -> { });
    process.process().onExit().thenAccept(exited -> ready.completeExceptionally(
        new IllegalStateException("regtest-node.js exited with " + exited.exitValue() + " before it was ready")));

    BcoinNode node = new BcoinNode(process, p2pPort, rpcPort, walletPort, apiKey);
    try {
      JsonObject line = ready.get(START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      if (line.getInteger("p2pPort", -1) != p2pPort) {
        throw new IllegalStateException("regtest-node.js reports P2P port " + line.getValue("p2pPort")
            + ", not " + p2pPort);
      }
      return node;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      String why = e instanceof TimeoutException ? "was not ready within " + START_DEADLINE
          : String.valueOf(e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage());
      throw process.startFailure("bcoin (" + String.join(" ", command.subList(0, 8)) + ") " + why, e);
    } catch (InterruptedException e) {
      node.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting bcoin", e);
    }
  }

  public String host() {
    return HOST;
  }

  /** bcoin's Bitcoin P2P port on {@link #host()}. */
  public int p2pPort() {
    return p2pPort;
  }

  public int rpcPort() {
    return rpcPort;
  }

  public int walletPort() {
    return walletPort;
  }

  /**
   * Calls a method of the node's JSON-RPC and returns its result: a JsonObject, JsonArray, String, Number, Boolean
   * or null. An error answer throws {@link RpcException}.
   */
  public Object rpc(String method, Object... params) {
    return call(rpcPort, method, params);
  }

  /** Calls a method of the wallet's JSON-RPC (the "primary" wallet), as {@link #rpc} does the node's. */
  public Object walletRpc(String method, Object... params) {
    return call(walletPort, method, params);
  }

  /** Mines blocks whose coinbases pay the address; returns their hashes, oldest first. */
  public List<String> generateToAddress(int blocks, String address) {
    JsonArray hashes = (JsonArray) rpc("generatetoaddress", blocks, address);
    List<String> list = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      list.add(hashes.getString(i));
    }
    return list;
  }

  /** A new receiving address of the wallet's default account. */
  public String newAddress() {
    // Without an argument bcoin looks up an account named null and fails: name the default account.
    return (String) walletRpc("getnewaddress", "default");
  }

  /**
   * Pays from the wallet and returns the txid; the transaction is in the node's mempool when this returns. A coinbase
   * is spendable once 100 blocks are on top of it (mine 101 to the wallet for the first coin), but the wallet
   * follows the chain asynchronously and may answer "Not enough funds" just after the blocks were mined: that
   * answer is retried until {@link TestNodes#DEADLINE}. The wallet also answers before its node has taken the
   * transaction into the mempool: {@code getrawmempool} is polled until it lists the txid, within the same deadline.
   */
  public String sendToAddress(String address, double btc) {
    AtomicReference<String> txid = new AtomicReference<>();
    Awaitility.await().atMost(TestNodes.DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
      try {
        txid.set((String) walletRpc("sendtoaddress", address, btc));
        return true;
      } catch (RpcException e) {
        if (e.getMessage().contains("Not enough funds")) {
          return false;
        }
        throw e;
      }
    });
    Awaitility.await(txid.get() + " in bcoin's mempool").atMost(TestNodes.DEADLINE)
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .until(() -> ((JsonArray) rpc("getrawmempool")).contains(txid.get()));
    return txid.get();
  }

  /** {@code getblockheader <hash> true}: height, previousblockhash, time, confirmations and so on. */
  public JsonObject blockHeader(String hash) {
    return (JsonObject) rpc("getblockheader", hash, true);
  }

  public int blockCount() {
    return ((Number) rpc("getblockcount")).intValue();
  }

  /**
   * {@code addnode <host:port> onetry}: bcoin dials the address at once, whatever its maxOutbound, and does not keep
   * it in its address list (it does not dial it again after a disconnection).
   */
  public void addNodeOneTry(String hostPort) {
    rpc("addnode", hostPort, "onetry");
  }

  /** {@code getpeerinfo}: one object per peer, with addr, inbound, version, subver, services (hex) and more. */
  public JsonArray peerInfo() {
    return (JsonArray) rpc("getpeerinfo");
  }

  /** The last lines the process printed, for failure messages. */
  public List<String> lastOutput() {
    return process.lastLines();
  }

  private Object call(int port, String method, Object... params) {
    JsonObject body = new JsonObject()
        .put("method", method)
        .put("params", new JsonArray(new ArrayList<>(Arrays.asList(params))))
        .put("id", nextId());
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + "/"))
        .timeout(RPC_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("bcoin RPC " + method + " on port " + port + " failed: " + e + "; "
          + process.describeLastLines(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during bcoin RPC " + method, e);
    }
    JsonObject answer;
    try {
      answer = new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException("bcoin RPC " + method + ": HTTP " + response.statusCode() + " "
          + response.body());
    }
    Object error = answer.getValue("error");
    if (error != null) {
      throw new RpcException(method, error);
    }
    return answer.getValue("result");
  }

  private synchronized int nextId() {
    return ++rpcId;
  }

  /**
   * Closes standard input (the node closes itself then), sends SIGTERM, and kills the process if it is still there
   * after a deadline.
   */
  @Override
  public void close() {
    process.stop();
  }

  /** An error answer of bcoin's JSON-RPC: {@code {"message": ..., "code": ...}}. */
  public static final class RpcException extends IllegalStateException {

    private final Object error;

    RpcException(String method, Object error) {
      super("bcoin RPC " + method + ": " + error);
      this.error = error;
    }

    /** The error object as bcoin sent it. */
    public Object error() {
      return error;
    }
  }
}
