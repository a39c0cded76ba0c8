package org.peermesh.devp2p.rlp;

import java.util.List;

/**
 * An RLP list, immutable: the items are copied in. devp2p messages are lists whose fields are known by index, and
 * newer senders may append elements an older reader does not know (EIP-8); the index readers therefore take what
 * they need and leave the rest alone.
 */
public record RlpList(List<RlpItem> items) implements RlpItem {

  public static final RlpList EMPTY = new RlpList(List.of());

  public RlpList {
    items = List.copyOf(items);
  }

  public static RlpList of(RlpItem... items) {
    return new RlpList(List.of(items));
  }

  public int size() {
    return items.size();
  }

  /**
   * The item at {@code index}.
   *
   * @throws RlpException {@code missing}, naming {@code field}, if the list is too short to hold it
   */
  public RlpItem get(int index, String field) {
    if (index < 0 || index >= items.size()) {
      throw new RlpException("missing", field + ": no element " + index + " in a list of " + items.size());
    }
    return items.get(index);
  }

  /**
   * The string at {@code index}.
   *
   * @throws RlpException {@code missing} or {@code not_a_string}, naming {@code field}
   */
  public RlpString string(int index, String field) {
    return get(index, field).string(field);
  }

  /**
   * The list at {@code index}.
   *
   * @throws RlpException {@code missing} or {@code not_a_list}, naming {@code field}
   */
  public RlpList list(int index, String field) {
    return get(index, field).list(field);
  }

  @Override
  public RlpString string(String field) {
    throw new RlpException("not_a_string", field + ": a string expected, a list of " + items.size() + " found");
  }

  @Override
  public RlpList list(String field) {
    return this;
  }
}
