// The test hook shared by both database writers.
#include "export/database.h"

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace provenant::exporting {

uint64_t pause_after_rows() {
    const char* v = std::getenv("PROVENANT_TEST_EXPORT_PAUSE_AFTER_ROWS");
    if (v == nullptr || *v == '\0') return 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v, &end, 10);
    return end != nullptr && *end == '\0' ? n : 0;
}

void pause_for_test(uint64_t rows) {
    std::printf("paused after %llu rows\n", static_cast<unsigned long long>(rows));
    std::fflush(stdout);
    char buf[64];
    while (::read(0, buf, sizeof buf) > 0) {
    }
}

} // namespace provenant::exporting
