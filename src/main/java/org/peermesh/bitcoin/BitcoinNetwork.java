package org.peermesh.bitcoin;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A Bitcoin network as its peers tell it apart: the 4 message-start bytes every frame begins with, the default
 * port, and the genesis block (null for a custom network, whose chain we do not know). The magic is the 4 bytes in
 * wire order read as a big-endian int, so {@code 0xf9beb4d9} is what mainnet frames begin with.
 */
public record BitcoinNetwork(String name, int magic, int defaultPort, String genesisHash) {

  // Bitcoin Core's chainparams.cpp: pchMessageStart, nDefaultPort and the genesis block hash of each chain.
  public static final BitcoinNetwork MAINNET = new BitcoinNetwork("mainnet", 0xf9beb4d9, 8333,
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
  public static final BitcoinNetwork TESTNET3 = new BitcoinNetwork("testnet3", 0x0b110907, 18333,
      "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943");
  public static final BitcoinNetwork TESTNET4 = new BitcoinNetwork("testnet4", 0x1c163f28, 48333,
      "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043");
  /** The default signet; a custom signet has its own magic, derived from its challenge, and is a custom network. */
  public static final BitcoinNetwork SIGNET = new BitcoinNetwork("signet", 0x0a03cf40, 38333,
      "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6");
  public static final BitcoinNetwork REGTEST = new BitcoinNetwork("regtest", 0xfabfb5da, 18444,
      "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206");

  public static final List<BitcoinNetwork> KNOWN = List.of(MAINNET, TESTNET3, TESTNET4, SIGNET, REGTEST);

  public BitcoinNetwork {
    Objects.requireNonNull(name, "name");
    if (defaultPort < 1 || defaultPort > 65535) {
      throw new IllegalArgumentException("a network's default port must be 1 to 65535, got " + defaultPort);
    }
  }

  /** A network the node does not know by name, as p2p-node allows: frames are told apart by magic alone. */
  public static BitcoinNetwork custom(String name, int magic, int defaultPort) {
    return new BitcoinNetwork(name, magic, defaultPort, null);
  }

  /** One of {@link #KNOWN} by name; "testnet" means testnet3, as in bitcore and Bitcoin Core's {@code -testnet}. */
  public static Optional<BitcoinNetwork> byName(String name) {
    String wanted = name.toLowerCase(Locale.ROOT).equals("testnet") ? TESTNET3.name : name;
    return KNOWN.stream().filter(network -> network.name.equals(wanted)).findFirst();
  }

  /** The magic as the 8 hex digits of its wire bytes, how config files and Bitcoin Core's sources write it. */
  public String magicHex() {
    return String.format("%08x", magic);
  }

  public boolean isCustom() {
    return genesisHash == null;
  }
}
