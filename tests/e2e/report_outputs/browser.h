// Test support: Debian's headless Chromium, with no network, for the HTML report's tests.
#pragma once

#include "support/process.h"

#include <optional>
#include <string>
#include <vector>

namespace provenant::test {

/// The Chromium to use: $PROVENANT_CHROMIUM, else /usr/bin/chromium; nullopt when neither is
/// an executable (the tests then say so and skip: scripts/setup.sh installs it).
std::optional<std::string> chromium_path();

/// Runs headless Chromium on a local file with everything that could reach a network shut:
/// every host name resolves to nothing, no proxy, no background services. `args` are added
/// (`--dump-dom`, `--screenshot=...`). Its own profile in a temp dir; no sandbox, so that it
/// runs as root in CI.
ProcessResult run_chromium(const std::string& chromium, const std::string& file,
                           const std::vector<std::string>& args);

/// Where tests keep what a person may want to look at after a run (a screenshot): the build
/// directory's test-artifacts/<name>, created.
std::string artifact_dir(const std::string& name);

} // namespace provenant::test
