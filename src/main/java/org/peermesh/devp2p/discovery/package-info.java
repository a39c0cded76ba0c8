/**
 * devp2p Node Discovery v4 (discv4) as go-ethereum speaks it: node ids and enode URLs ({@link
 * org.peermesh.devp2p.discovery.NodeId}, {@link org.peermesh.devp2p.discovery.EnodeUrl}), one immutable class per
 * packet, signed and read by {@link org.peermesh.devp2p.discovery.Discv4Packets}, and the Kademlia routing table
 * ({@link org.peermesh.devp2p.discovery.NodeTable}). Everything here is a pure function of bytes, keys and the times
 * the caller passes: no sockets, no clocks, no Vert.x context.
 *
 * <p>A datagram's size is checked before anything else, its hash before its signature, and every list element
 * against its expected form (lengths, port ranges) before it is used; every failure is a {@link
 * org.peermesh.devp2p.discovery.Discv4Exception}. Reading is lenient where EIP-8 says so: extra list elements, bytes
 * after the data and a Ping's version are ignored.
 */
package org.peermesh.devp2p.discovery;
