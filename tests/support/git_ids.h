// Object ids in tests: parsing what git prints.
#pragma once

#include <doctest/doctest.h>
#include <git2.h>
#include <string>

namespace provenant::test {

/// `s` without its final line breaks (git's output of one id).
inline std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

/// The id `hex` names (a failed test if it names none).
inline git_oid oid_of(const std::string& hex) {
    git_oid id{};
    REQUIRE(git_oid_fromstr(&id, hex.c_str()) == 0);
    return id;
}

} // namespace provenant::test
