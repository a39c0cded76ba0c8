/**
 * Address arithmetic every other package may use and that uses none of them: netgroups (LIP 0004's /16 and /32
 * groups), local and routable addresses, canonical spellings of an IP.
 */
package org.peermesh.net;
