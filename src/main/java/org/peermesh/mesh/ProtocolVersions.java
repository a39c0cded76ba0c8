package org.peermesh.mesh;

/** Protocol versions are "MAJOR.MINOR": minors of one major talk to each other, majors do not. */
final class ProtocolVersions {

  private ProtocolVersions() {
  }

  static boolean compatible(String ours, String theirs) {
    int ourMajor = major(ours);
    return ourMajor >= 0 && ourMajor == major(theirs);
  }

  private static int major(String version) {
    int dot = version.indexOf('.');
    if (dot <= 0 || dot == version.length() - 1) {
      return -1;
    }
    try {
      Integer.parseInt(version.substring(dot + 1));
      return Integer.parseInt(version.substring(0, dot));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
