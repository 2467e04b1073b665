// Logging setup: spdlog sinks; stdout is never used.
#include "support/log.h"

#include <fcntl.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace provenant {

void setup_logging(const std::string& file, const std::string& level) {
    std::shared_ptr<spdlog::logger> logger;
    try {
        if (!file.empty()) {
            // Created 0600 before spdlog opens it (fopen would make it 0666 & ~umask): the
            // log names files, tools and sessions. An existing file keeps its mode.
            int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd >= 0) ::close(fd);
            logger = spdlog::basic_logger_mt("provenant", file);
        }
    } catch (const spdlog::spdlog_ex& e) {
        logger.reset();
        std::fprintf(stderr, "provenant: cannot open log file %s: %s; logging to stderr\n",
                     file.c_str(), e.what());
    }
    if (!logger)
        logger = spdlog::stderr_logger_mt("provenant");
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
}

} // namespace provenant
