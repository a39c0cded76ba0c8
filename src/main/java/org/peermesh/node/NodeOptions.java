package org.peermesh.node;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BridgeOptions;
import org.peermesh.bus.BusAddresses;
import org.peermesh.http.HttpOptions;
import org.peermesh.cluster.ClusterOptions;
import org.peermesh.config.Checks;
import org.peermesh.config.ConfigBinder;
import org.peermesh.config.ConfigException;
import org.peermesh.config.Configurable;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.peer.PoolOptions;
import org.peermesh.peer.ProtocolProvider;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Configuration of a PeerMesh node, one section per concern: the node's own keys ({@code dataDir}, {@code keyFile},
 * {@code busPrefix}, {@code bridge}), the {@code cluster} section, the {@code mesh} section (the mesh protocol, on
 * unless {@code "mesh": false}), and one section per installed wire protocol ({@link ProtocolProvider}), which runs
 * when its section is there. Every protocol section takes the same pool keys ({@link PoolOptions}).
 *
 * <p>Reading is strict and complete: every unknown key (with the nearest known one suggested), every value of the
 * wrong type and every broken rule is reported in one {@link ConfigException}
 * ({@code config key 'mesh.seedPeers[2].port': expected an integer from 1 to 65535, got 0}). Options built in code are
 * checked the same way by {@link #validate()}, which the node runs before it starts.
 */
public final class NodeOptions implements Configurable {

  public static final String DEFAULT_BUS_PREFIX = "peermesh";
  /** The key file's name inside {@code dataDir} when {@code keyFile} is not set. */
  public static final String DEFAULT_KEY_FILE_NAME = "node.key";
  private static final Pattern BUS_PREFIX_SYNTAX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  /**
   * Where the keys of the flat configuration of earlier versions went, so that an old file is refused with the way
   * to fix it rather than a bare "unknown key".
   */
  private static final Map<String, String> MOVED_KEYS = Map.ofEntries(
      Map.entry("host", "mesh.listen"), Map.entry("port", "mesh.listen"), Map.entry("fixedPeers", "mesh.connect"),
      Map.entry("maxInboundConnections", "mesh.maxInbound"), Map.entry("maxOutboundConnections", "mesh.maxOutbound"),
      Map.entry("maxFrameSize", "mesh.maxMessageSize"), Map.entry("maxPeerWriteQueueSize", "mesh.maxWriteQueueSize"),
      Map.entry("bitcoin.maxPayloadSize", "bitcoin.maxMessageSize"));

  /** Where the node keeps its key, peer book and ban lists. */
  private String dataDir = "data";
  /** The node key file; null: {@code dataDir/node.key}. */
  private String keyFile;
  /** The first segments of every event-bus address the node uses. */
  private String busPrefix = DEFAULT_BUS_PREFIX;
  /** The TCP event-bus bridge: where it listens and its limits; null: the bridge is off. */
  private BridgeOptions bridge;
  /** The HTTP server of {@code /metrics}, {@code /health} and the mesh view; null: off, and no metrics are kept. */
  private HttpOptions http;
  /**
   * The share of the heap ({@code -Xmx}) the bytes buffered for peers may take in all, every protocol's, read and
   * written: beyond it the node stops reading from the peers sending large frames and cuts those that do not drain.
   */
  private int memoryBudgetPercent = 25;
  private ClusterOptions cluster = new ClusterOptions();
  /** The mesh protocol; null: the node runs other protocols only. */
  private MeshOptions mesh = new MeshOptions();
  /** The other protocols' sections, by protocol name, in the order they are set. */
  @JsonIgnore
  private final Map<String, PoolOptions<?>> protocols = new LinkedHashMap<>();

  /** Options with every default: the mesh on its defaults, no other protocol. */
  public NodeOptions() {
  }

  /** A deep copy of {@code other}. */
  public NodeOptions(NodeOptions other) {
    this(other.toJson());
  }

  /**
   * Options read from JSON; absent keys keep their defaults.
   *
   * @throws ConfigException listing every unknown key, every wrong value and every broken rule
   */
  public NodeOptions(JsonObject json) {
    List<String> problems = new ArrayList<>();
    List<ProtocolProvider<?>> installed = ProtocolProvider.installed();
    List<String> protocolNames = installed.stream().map(ProtocolProvider::name).toList();
    ConfigBinder.bind(json, this, "", protocolNames, problems);
    for (ProtocolProvider<?> provider : installed) {
      Object section = json.getValue(provider.name());
      if (section instanceof JsonObject object) {
        PoolOptions<?> options = provider.newOptions();
        ConfigBinder.bind(object, options, provider.name(), List.of(), problems);
        protocols.put(provider.name(), options);
      } else if (Boolean.TRUE.equals(section)) {
        protocols.put(provider.name(), provider.newOptions());
      } else if (section != null && !Boolean.FALSE.equals(section)) {
        problems.add("config key '" + provider.name() + "': expected an object (or false to leave the section out)");
      }
    }
    problems.replaceAll(NodeOptions::withMovedKeyHint);
    check(problems);
  }

  /** An unknown key of the flat configuration of earlier versions, with where it is now. */
  private static String withMovedKeyHint(String problem) {
    String prefix = "unknown config key '";
    if (!problem.startsWith(prefix)) {
      return problem;
    }
    String key = problem.substring(prefix.length(), problem.indexOf('\'', prefix.length()));
    String moved = MOVED_KEYS.get(key);
    if (moved == null && !key.contains(".") && ConfigBinder.keys(MeshOptions.class).contains(key)) {
      moved = "mesh." + key;
    }
    return moved == null ? problem : prefix + key + "': it is now '" + moved + "' (one section per concern)";
  }

  /**
   * Reads options from a JSON file (UTF-8; {@code //} and {@code /* *}{@code /} comments allowed, duplicate keys not).
   * Relative paths inside ({@code dataDir}, {@code keyFile}) stay relative to the working directory.
   *
   * @throws IllegalArgumentException when the file is missing or unreadable, is not one JSON object, or holds a
   *                                  wrong configuration; the message starts with {@code config file 'PATH': }
   */
  public static NodeOptions fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file '" + file + "': no such file", e);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("config file '" + file + "': not valid UTF-8", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("config file '" + file + "': cannot read: " + e, e);
    }
    try {
      return new NodeOptions(ConfigBinder.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config file '" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * Checks every key of every section, as reading a file does.
   *
   * @return this
   * @throws ConfigException naming every broken rule
   */
  public NodeOptions validate() {
    check(new ArrayList<>());
    return this;
  }

  private void check(List<String> problems) {
    ConfigBinder.check(this, "", problems);
    protocols.forEach((name, options) -> ConfigBinder.check(options, name, problems));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  @Override
  public void check(Checks c) {
    c.text("dataDir", dataDir, "a non-blank directory path", validPath());
    c.optionalText("keyFile", keyFile, "a non-blank file path", validPath());
    c.text("busPrefix", busPrefix, "dot-separated segments of [A-Za-z0-9_-]+",
        s -> BUS_PREFIX_SYNTAX.matcher(s).matches());
    c.between("memoryBudgetPercent", memoryBudgetPercent, 1, 80);
    if (http != null) {
      http.getMinPeers().keySet().stream().filter(protocol -> !runs(protocol)).forEach(protocol ->
          c.problem("http.minPeers." + protocol, "the node does not run protocol '" + protocol + "'"));
    }
    if (mesh == null && protocols.isEmpty()) {
      c.problem("mesh", "expected a section, or another protocol's section for the node to run instead, got false");
    }
  }

  /** Every key of every section; {@code new NodeOptions(toJson())} equals this. */
  public JsonObject toJson() {
    JsonObject json = ConfigBinder.toJson(this);
    if (mesh == null) {
      json.put("mesh", false);
    }
    protocols.forEach((name, options) -> json.put(name, ConfigBinder.toJson(options)));
    return json;
  }

  public String getDataDir() {
    return dataDir;
  }

  public NodeOptions setDataDir(String dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /** The key file as configured, or null when it defaults to {@code dataDir/node.key}; see {@link #keyFilePath()}. */
  public String getKeyFile() {
    return keyFile;
  }

  /** Sets the node key file; null restores the default {@code dataDir/node.key}. */
  public NodeOptions setKeyFile(String keyFile) {
    this.keyFile = keyFile;
    return this;
  }

  /** Where the node key lives: {@code keyFile} when set, else {@code dataDir/node.key}. */
  public Path keyFilePath() {
    return keyFile != null ? Path.of(keyFile) : Path.of(dataDir).resolve(DEFAULT_KEY_FILE_NAME);
  }

  public String getBusPrefix() {
    return busPrefix;
  }

  public NodeOptions setBusPrefix(String busPrefix) {
    this.busPrefix = busPrefix;
    return this;
  }

  public int getMemoryBudgetPercent() {
    return memoryBudgetPercent;
  }

  public NodeOptions setMemoryBudgetPercent(int memoryBudgetPercent) {
    this.memoryBudgetPercent = memoryBudgetPercent;
    return this;
  }

  /** The TCP event-bus bridge's section, changed in place; null when the bridge is off. */
  public BridgeOptions getBridge() {
    return bridge;
  }

  /** Turns the TCP event-bus bridge on with {@code bridge}, or off with null. */
  public NodeOptions setBridge(BridgeOptions bridge) {
    this.bridge = bridge;
    return this;
  }

  /** How this node's JVM takes part in a cluster; used only when the node runs on a clustered Vert.x. */
  /** The http section, changed in place; null when the node serves no HTTP. */
  public HttpOptions getHttp() {
    return http;
  }

  /** Serves {@code /metrics}, {@code /health} and the mesh view as {@code http} says, or nothing with null. */
  public NodeOptions setHttp(HttpOptions http) {
    this.http = http;
    return this;
  }

  public ClusterOptions getCluster() {
    return cluster;
  }

  public NodeOptions setCluster(ClusterOptions cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    return this;
  }

  /** The mesh protocol's options, changed in place; null when the node runs without the mesh. */
  public MeshOptions getMesh() {
    return mesh;
  }

  /** Runs the mesh with {@code mesh}, or (null) no mesh: then the node needs another protocol's section. */
  public NodeOptions setMesh(MeshOptions mesh) {
    this.mesh = mesh;
    return this;
  }

  /** Whether the node runs {@code protocol}: the mesh, or one whose section is set. */
  public boolean runs(String protocol) {
    return BusAddresses.MESH.equals(protocol) ? mesh != null : protocols.containsKey(protocol);
  }

  /** The section of the protocol {@code name}, or null when the node does not run it. */
  public PoolOptions<?> getProtocol(String name) {
    return protocols.get(name);
  }

  /** Runs the protocol {@code name} with {@code options}, or (null) not at all. */
  public NodeOptions setProtocol(String name, PoolOptions<?> options) {
    if (options == null) {
      protocols.remove(name);
    } else {
      protocols.put(name, options);
    }
    return this;
  }

  /** The sections of the protocols beside the mesh, by name. */
  public Map<String, PoolOptions<?>> getProtocols() {
    return Collections.unmodifiableMap(protocols);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeOptions other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "NodeOptions" + toJson().encode();
  }

  private static Predicate<String> validPath() {
    return s -> {
      if (s.isBlank()) {
        return false;
      }
      try {
        Path.of(s);
        return true;
      } catch (InvalidPathException e) {
        return false;
      }
    };
  }
}
