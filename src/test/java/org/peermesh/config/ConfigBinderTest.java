package org.peermesh.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.peermesh.net.PeerAddress;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The binder on options classes of its own: what any section gets, whatever its keys. */
class ConfigBinderTest {

  /** A section with a key of each kind, and a nested section. */
  static final class Outer implements Configurable {
    private int count = 1;
    private long duration = 1000;
    private String name = "n";
    private boolean on = true;
    private PeerAddress at;
    private List<PeerAddress> peers = List.of();
    private JsonObject extra = new JsonObject();
    private Inner inner = new Inner();
    private Inner optional;

    @Override
    public void check(Checks c) {
      c.between("count", count, 0, 10);
      c.address("at", at, 1);
      c.addresses("peers", peers, 1);
    }
  }

  static final class Inner implements Configurable {
    private int level = 3;

    @Override
    public void check(Checks c) {
      c.atLeast("level", level, 1);
    }
  }

  @Test
  void absentKeysKeepTheirDefaultsAndEveryKindOfValueIsBound() {
    Outer bound = ConfigBinder.bind(new JsonObject()
        .put("count", 5)
        .put("duration", 10L * Integer.MAX_VALUE)
        .put("at", new PeerAddress("h", 1).toJson())
        .put("peers", new JsonArray().add(new PeerAddress("a", 2).toJson()))
        .put("extra", new JsonObject().put("k", new JsonArray().add(1)))
        .put("inner", new JsonObject().put("level", 7))
        .put("optional", true), new Outer());
    assertEquals(5, bound.count);
    assertEquals(10L * Integer.MAX_VALUE, bound.duration);
    assertEquals("n", bound.name);
    assertEquals(new PeerAddress("h", 1), bound.at);
    assertEquals(List.of(new PeerAddress("a", 2)), bound.peers);
    assertEquals(new JsonObject().put("k", new JsonArray().add(1)), bound.extra);
    assertEquals(7, bound.inner.level);
    assertEquals(3, bound.optional.level);
    assertNull(ConfigBinder.bind(new JsonObject().put("inner", false), new Outer()).inner);
    assertEquals(Set.of("count", "duration", "name", "on", "at", "peers", "extra", "inner", "optional"),
        ConfigBinder.keys(Outer.class));
  }

  @Test
  void everyProblemIsReportedWithItsPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigBinder.bind(new JsonObject()
        .put("cout", 1)
        .put("count", 11)
        .put("name", 5)
        .put("on", "yes")
        .put("duration", 1.5)
        .put("peers", new JsonArray().add(new PeerAddress("a", 0).toJson()).add("b:1")
            .add(new JsonObject().put("host", "c").put("port", "x")))
        .put("inner", new JsonObject().put("level", 0).put("levle", 1))
        .put("optional", 3), new Outer()));
    assertEquals(List.of(
        "unknown config key 'cout' (did you mean 'count'?)",
        "config key 'name': expected a string, got 5",
        "config key 'on': expected true or false, got \"yes\"",
        "config key 'duration': expected an integer, got 1.5",
        "config key 'peers[1]': expected an object {\"host\": string, \"port\": integer}, got \"b:1\"",
        "config key 'peers[2].port': expected an integer from -2147483648 to 2147483647, got \"x\"",
        "unknown config key 'inner.levle' (did you mean 'level'?)",
        "config key 'optional': expected an object (or false to leave the section out), got 3",
        "config key 'count': expected an integer from 0 to 10, got 11",
        "config key 'inner.level': expected an integer >= 1, got 0"), e.problems());
  }

  @Test
  void aCopySharesNothingAndJsonRoundTrips() {
    Outer original = ConfigBinder.bind(new JsonObject().put("extra", new JsonObject().put("a", 1)), new Outer());
    Outer copy = ConfigBinder.copy(original);
    assertNotSame(original.inner, copy.inner);
    copy.extra.put("a", 2);
    assertEquals(1, original.extra.getInteger("a"));
    assertEquals(ConfigBinder.toJson(original),
        ConfigBinder.toJson(ConfigBinder.bind(ConfigBinder.toJson(original), new Outer())));
  }

  @Test
  void aFileIsOneObjectWithCommentsAndNoDuplicateKeys() {
    assertEquals(new JsonObject().put("a", 1), ConfigBinder.parse("\uFEFF// a comment\n{\"a\": /* one */ 1}"));
    assertEquals(List.of("invalid JSON: Duplicate field 'a' at line 1, column 13"),
        assertThrows(ConfigException.class, () -> ConfigBinder.parse("{\"a\": 1, \"a\": 2}")).problems());
    assertEquals(List.of("expected a JSON object at top level, got an array"),
        assertThrows(ConfigException.class, () -> ConfigBinder.parse("[]")).problems());
  }

  @Test
  void theSuggestionIsTheNearestKeyWithinTwoEdits() {
    assertEquals(0, ConfigBinder.distance("port", "port"));
    assertEquals(1, ConfigBinder.distance("prot", "port"));
    assertEquals(2, ConfigBinder.distance("bridgee", "bridg"));
    assertEquals("maxInbound", ConfigBinder.closest("maxinbond", List.of("maxInbound", "maxOutbound")));
    assertNull(ConfigBinder.closest("zzzzz", List.of("maxInbound")));
  }
}
