package org.peermesh.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class or method that runs a foreign implementation: bcoin, @wharfkit/antelope, @ethereumjs/devp2p
 * or any other Node.js script of {@code src/interop}, or Debian's microsocks. Such a test runs {@code
 * src/interop/install.sh} (npm ci of pinned packages, which needs Node.js 20, npm and the npm registry; apt-get as
 * root for microsocks). It carries the JUnit tag {@value #TAG}, which {@code mvn -B verify -Dinterop=false} leaves
 * out (the pom's {@code no-interop} profile); every test without it runs on Java and Maven alone, which
 * {@code InteropTagTest} checks.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(Interop.TAG)
public @interface Interop {

  /** The JUnit tag; the pom's {@code no-interop} profile names it too. */
  String TAG = "interop";
}
