package org.peermesh.devp2p.rlp;

/**
 * One RLP item: a byte string or a list of items. Readers name the field they expect so that a refusal says where a
 * message went wrong.
 */
public sealed interface RlpItem permits RlpString, RlpList {

  /**
   * This item as a string.
   *
   * @throws RlpException {@code not_a_string}, naming {@code field}, if it is a list
   */
  RlpString string(String field);

  /**
   * This item as a list.
   *
   * @throws RlpException {@code not_a_list}, naming {@code field}, if it is a string
   */
  RlpList list(String field);
}
