package org.peermesh.peer;

/** Which side opened the connection. */
public enum Direction {
  INBOUND,
  OUTBOUND;

  public String jsonName() {
    return name().toLowerCase();
  }

  public static Direction fromJsonName(String name) {
    return valueOf(name.toUpperCase());
  }
}
