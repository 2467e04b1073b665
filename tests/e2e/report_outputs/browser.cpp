// Headless Chromium for the HTML report's tests (browser.h).
#include "browser.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace provenant::test {

namespace fs = std::filesystem;

std::optional<std::string> chromium_path() {
    const char* env = std::getenv("PROVENANT_CHROMIUM");
    const std::string path = env != nullptr && *env != 0 ? env : "/usr/bin/chromium";
    if (::access(path.c_str(), X_OK) != 0) return std::nullopt;
    return path;
}

ProcessResult run_chromium(const std::string& chromium, const std::string& file,
                           const std::vector<std::string>& args) {
    TempDir profile;
    std::vector<std::string> argv = {chromium,
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--no-first-run",
                                     "--no-default-browser-check",
                                     "--disable-extensions",
                                     "--disable-background-networking",
                                     "--disable-component-update",
                                     "--disable-sync",
                                     "--disable-dev-shm-usage",
                                     "--no-proxy-server",
                                     "--host-resolver-rules=MAP * ~NOTFOUND",
                                     "--force-device-scale-factor=1",
                                     "--hide-scrollbars",
                                     "--user-data-dir=" + profile.path()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("file://" + fs::absolute(file).string());
    return run(argv, profile.path(), {}, {}, std::chrono::seconds(240));
}

std::string artifact_dir(const std::string& name) {
    const fs::path dir = fs::path(PROVENANT_BINARY).parent_path() / "test-artifacts" / name;
    fs::create_directories(dir);
    return dir.string();
}

} // namespace provenant::test
