/**
 * Address arithmetic every other package may use and that uses none of them: netgroups (LIP 0004's /16 and /32
 * groups), local and routable addresses, canonical spellings of an IP; and how a connection to a remote program that
 * may not read is ended ({@link org.peermesh.net.Sockets}).
 */
package org.peermesh.net;
