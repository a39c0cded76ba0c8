package org.peermesh.cli;

import picocli.CommandLine.Option;

/** Every command's {@code -h, --help}: its usage, and nothing run. */
final class HelpOption {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;
}
